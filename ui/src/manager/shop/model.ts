// What the status bar says of the shop's other tills, from `shop_status`.
import type { ShopStatus } from './api';

/** A paired till unreachable this long is named in the status bar. */
export const SILENT_AFTER_SECONDS = 60;

export type LinkSummary =
  | { kind: 'none' }
  | { kind: 'defect'; till: string }
  | { kind: 'silent'; till: string; minutes: number }
  | { kind: 'linked'; count: number };

/** The one thing the status bar says: a defect first, then a till silent for a minute or
 *  more, else how many tills were reached. Nothing when no till is paired. */
export function summarize(status: ShopStatus): LinkSummary {
  const active = status.peers.filter((p) => !p.unpaired);
  if (active.length === 0) return { kind: 'none' };
  const defect = active.find((p) => p.defect !== null);
  if (defect) return { kind: 'defect', till: defect.till };
  const silent = active
    .filter((p) => p.reachable === false && p.for_seconds >= SILENT_AFTER_SECONDS)
    .sort((a, b) => b.for_seconds - a.for_seconds)[0];
  if (silent) return { kind: 'silent', till: silent.till, minutes: Math.floor(silent.for_seconds / 60) };
  return { kind: 'linked', count: active.filter((p) => p.reachable === true).length };
}
