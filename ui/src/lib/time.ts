// Dates and times as people read them, in a given zone (the till's: lib/zone.svelte.ts).
// Pure: no IPC.

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

/** "2026-12-08 00:30" → "08/12/2026 00:30". */
export function frenchMinute(minute: string): string {
  return `${minute.slice(8, 10)}/${minute.slice(5, 7)}/${minute.slice(0, 4)} ${minute.slice(11)}`;
}

// The zone a new till is set up in: this PC's, if it names a place. "UTC" and the fixed
// offsets of "Etc/…" know no summer time: a French shop's PC set to one is a PC nobody set,
// and the backend's default (Europe/Paris) is then the right guess.
export function setupZone(pcZone: string | undefined): string | null {
  if (typeof pcZone !== 'string' || !pcZone.includes('/')) return null;
  return pcZone.startsWith('Etc/') ? null : pcZone;
}
