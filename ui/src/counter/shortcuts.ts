// The sale screen's function keys: one table read by the key handler, the buttons (each
// shows its key) and the legend; docs/SHORTCUTS.md lists the same (a test checks it).
import type { Key } from '../lib/i18n';

export type Action =
  | 'qty'
  | 'discount'
  | 'departments'
  | 'ticket_discount'
  | 'park'
  | 'resume'
  | 'returns'
  | 'pay'
  | 'tickets'
  | 'lock'
  | 'drawer'
  | 'remove';

export interface Shortcut {
  key: string;
  action: Action;
  label: Key;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { key: 'F2', action: 'qty', label: 'action.qty' },
  { key: 'F3', action: 'discount', label: 'action.discount' },
  { key: 'F4', action: 'departments', label: 'action.departments' },
  { key: 'F5', action: 'ticket_discount', label: 'action.ticket_discount' },
  { key: 'F6', action: 'park', label: 'action.park' },
  { key: 'F7', action: 'resume', label: 'action.resume' },
  { key: 'F8', action: 'returns', label: 'action.returns' },
  { key: 'F9', action: 'pay', label: 'action.pay' },
  { key: 'F10', action: 'tickets', label: 'action.tickets' },
  { key: 'F11', action: 'drawer', label: 'action.drawer' },
  { key: 'F12', action: 'lock', label: 'action.lock' },
];

/** The action of a function key on the sale screen, if any. */
export function actionOf(key: string): Action | null {
  return SHORTCUTS.find((s) => s.key === key)?.action ?? null;
}

export function keyOf(action: Action): string {
  return SHORTCUTS.find((s) => s.action === action)?.key ?? '';
}
