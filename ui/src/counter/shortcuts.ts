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
  | 'remove'
  | 'cancel';

export interface Shortcut {
  key: string;
  action: Action;
  /** Alt + this letter does the same (laptops need Fn for the F-keys); underlined in the label. */
  letter: string;
  label: Key;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { key: 'F1', action: 'cancel', letter: 'N', label: 'action.cancel' },
  { key: 'F2', action: 'qty', letter: 'Q', label: 'action.qty' },
  { key: 'F3', action: 'discount', letter: 'R', label: 'action.discount' },
  { key: 'F4', action: 'departments', letter: 'Y', label: 'action.departments' },
  { key: 'F5', action: 'ticket_discount', letter: 'M', label: 'action.ticket_discount' },
  { key: 'F6', action: 'park', letter: 'A', label: 'action.park' },
  { key: 'F7', action: 'resume', letter: 'E', label: 'action.resume' },
  { key: 'F8', action: 'returns', letter: 'O', label: 'action.returns' },
  { key: 'F9', action: 'pay', letter: 'P', label: 'action.pay' },
  { key: 'F10', action: 'tickets', letter: 'T', label: 'action.tickets' },
  { key: 'F11', action: 'drawer', letter: 'I', label: 'action.drawer' },
  { key: 'F12', action: 'lock', letter: 'V', label: 'action.lock' },
];

/** The action of a function key on the sale screen (or of Alt + its letter), if any. */
export function actionOf(key: string, alt = false): Action | null {
  if (alt) return SHORTCUTS.find((s) => s.letter === key.toUpperCase())?.action ?? null;
  return SHORTCUTS.find((s) => s.key === key)?.action ?? null;
}

export function letterOf(action: Action): string {
  return SHORTCUTS.find((s) => s.action === action)?.letter ?? '';
}

/** A label cut around the first occurrence of `letter` (any case), to underline it. */
export function underline(label: string, letter: string): [before: string, letter: string, after: string] {
  const at = letter === '' ? -1 : label.toUpperCase().indexOf(letter.toUpperCase());
  if (at < 0) return [label, '', ''];
  return [label.slice(0, at), label.slice(at, at + 1), label.slice(at + 1)];
}

export function keyOf(action: Action): string {
  return SHORTCUTS.find((s) => s.action === action)?.key ?? '';
}
