import { expect, it } from 'vitest';
import { shortTime } from './time';

it.each<[local: string, today: string | null, shown: string]>([
  ['28/11/2026 16:57:33', '2026-11-28', '16:57'],
  ['27/11/2026 09:05:00', '2026-11-28', '27/11 09:05'],
  ['28/11/2026 16:57:33', null, '28/11 16:57'],
  ['31/12/2025 23:59:59', '2026-01-01', '31/12 23:59'],
  ['hier', '2026-11-28', 'hier'],
])('%s (today %s) → %s', (local, today, shown) => {
  expect(shortTime(local, today)).toBe(shown);
});
