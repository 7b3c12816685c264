// The recovery screens' commands: outage, export, bundle verification, re-entry, backups.
import { call } from '../../lib/api';
import type { BackupReport } from '../../lib/bindings/BackupReport';
import type { BackupSettings } from '../../lib/bindings/BackupSettings';
import type { BundleVerdict } from '../../lib/bindings/BundleVerdict';
import type { ExportReport } from '../../lib/bindings/ExportReport';
import type { Outage } from '../../lib/bindings/Outage';
import type { ReentryImport } from '../../lib/bindings/ReentryImport';
import type { ReentryLeft } from '../../lib/bindings/ReentryLeft';
import type { ReentryStatus } from '../../lib/bindings/ReentryStatus';
import type { SaasCheck } from '../../lib/bindings/SaasCheck';

export type { BackupReport } from '../../lib/bindings/BackupReport';
export type { BackupSettings } from '../../lib/bindings/BackupSettings';
export type { BundleVerdict } from '../../lib/bindings/BundleVerdict';
export type { ExportReport } from '../../lib/bindings/ExportReport';
export type { Outage } from '../../lib/bindings/Outage';
export type { ReentryImport } from '../../lib/bindings/ReentryImport';
export type { ReentryLeft } from '../../lib/bindings/ReentryLeft';
export type { ReentryStatus } from '../../lib/bindings/ReentryStatus';
export type { SaasCheck } from '../../lib/bindings/SaasCheck';

export interface ExportChoice {
  out: string;
  sinceLast: boolean;
  zip: boolean;
  fec: boolean;
  poslog: boolean;
}

/** An empty text is "now" for the backend. */
function when(at: string): string | null {
  return at.trim() === '' ? null : at.trim();
}

export const recoveryApi = {
  outage: () => call<Outage | null>('outage'),
  outageStart: (reason: string, at: string) => call<Outage | null>('outage_start', { reason: reason.trim(), at: when(at) }),
  outageEnd: (at: string) => call<Outage | null>('outage_end', { at: when(at) }),
  export: (choice: ExportChoice) =>
    call<ExportReport>('export', {
      out: choice.out.trim(),
      sinceLast: choice.sinceLast,
      zip: choice.zip,
      fec: choice.fec,
      poslog: choice.poslog,
    }),
  verifyBundle: (path: string) => call<BundleVerdict>('verify_bundle', { path: path.trim() }),
  reentryStatus: () => call<ReentryStatus>('reentry_status'),
  reentryLeft: (kind: string) => call<ReentryLeft>('reentry_left', { kind: kind === '' ? null : kind }),
  markReentered: (reference: string, saasRef: string) =>
    call<boolean>('mark_reentered', { reference: reference.trim(), saasRef: saasRef.trim() }),
  importReentries: (path: string) => call<ReentryImport>('import_reentries', { path: path.trim() }),
  saasCheck: () => call<SaasCheck>('saas_check'),
  setSaasStatusUrl: (url: string) => call<void>('set_saas_status_url', { url: url.trim() }),
  checkSaasNow: () => call<void>('check_saas_now'),
  backupSettings: () => call<BackupSettings>('backup_settings'),
  configureBackups: (folder: string, everySales: number) =>
    call<void>('configure_backups', { folder: folder.trim(), everySales }),
  backup: (to: string) => call<BackupReport>('backup', { to: to.trim() === '' ? null : to.trim() }),
  listBackups: (folder: string) => call<string[]>('list_backups', { folder: folder.trim() }),
  publicKey: () => call<string>('public_key'),
};
