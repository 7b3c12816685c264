// The till's time zone, read from the backend: dates and instants on screen are the till's,
// whatever zone this PC is set to (a fresh Linux install is on UTC, an hour or two off a
// French shop's date around midnight). Undefined until known: this PC's zone then.
import { call } from './api';

let zone: string | undefined = $state(undefined);

export const tillZone = {
  get value(): string | undefined {
    return zone;
  },
};

export async function loadTillZone(): Promise<void> {
  try {
    zone = (await call<string | null>('till_zone')) ?? undefined;
  } catch {
    zone = undefined;
  }
}

/** `date` as "YYYY-MM-DD HH:MM" in `timeZone` (default, or unknown: this PC's). */
export function minuteIn(date: Date, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
  } catch {
    format = new Intl.DateTimeFormat('en-GB', options);
  }
  const parts = format.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
