// The commands of the day screens (src-tauri/src/commands/manager.rs), through lib/api.ts's
// `call`, so that failures are ApiErrors and a lost session goes back to the lock screen.
import { call } from '../../lib/api';
import type { ClosurePeriod } from '../../lib/bindings/ClosurePeriod';
import type { ClosureReport } from '../../lib/bindings/ClosureReport';
import type { DenominationCount } from '../../lib/bindings/DenominationCount';
import type { Recorded } from '../../lib/bindings/Recorded';
import type { XReport } from '../../lib/bindings/XReport';
import type { ArchiveReport } from '../../lib/bindings/ArchiveReport';
import type { AuditReport } from '../../lib/bindings/AuditReport';

export type { ArchiveReport, AuditReport, ClosurePeriod, ClosureReport, DenominationCount, Recorded, XReport };
export type { ClosureData } from '../../lib/bindings/ClosureData';
export type { PeriodTotals } from '../../lib/bindings/PeriodTotals';
export type { TenderTotal } from '../../lib/bindings/TenderTotal';
export type { VatTotal } from '../../lib/bindings/VatTotal';

export interface CloseDay {
  counted: DenominationCount[] | null;
  cardTerminalCents: number | null;
  note: string | null;
}

export const dayApi = {
  openDay: (businessDay: string | null, denominations: DenominationCount[]) =>
    call<Recorded>('open_day', { businessDay, denominations }),
  xReport: () => call<XReport>('x_report'),
  cashMovement: (direction: 'in' | 'out', amountCents: number, category: string, reason: string) =>
    call<Recorded>('cash_movement', { direction, amountCents, category, reason, approval: null }),
  closeDay: (input: CloseDay) =>
    call<ClosureReport>('close_day', {
      counted: input.counted,
      cardTerminalCents: input.cardTerminalCents,
      note: input.note,
      approval: null,
    }),
  closePeriod: (period: Exclude<ClosurePeriod, 'day'>, which: string) =>
    call<ClosureReport>('close_period', { period, which, approval: null }),
  closures: () => call<ClosureReport[]>('closures'),
  publicKey: () => call<string>('public_key'),
  archive: (period: string, out: string, zip: boolean) => call<ArchiveReport>('archive', { period, out, zip }),
  taxAudit: (from: string, to: string, out: string) => call<AuditReport>('tax_audit', { from, to, out }),
};
