// The PIN rule of relais-store (4 to 8 digits), checked before anything is sent so that
// staff get the reason in their language at once.
import type { Key } from '../i18n';

export function pinProblem(pin: string, again?: string): Key | null {
  if (!/^\d{4,8}$/.test(pin)) return 'pin.rule';
  if (again !== undefined && again !== pin) return 'pin.mismatch';
  return null;
}
