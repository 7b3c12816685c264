// Times as the status bar shows them: short, and without the date when it is today.

/**
 * "28/11/2026 16:57:33" → "16:57" when `today` ("2026-11-28") is that day, else
 * "28/11 16:57". Anything else is returned as it is.
 */
export function shortTime(local: string, today: string | null): string {
  const match = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}:\d{2})/.exec(local);
  if (match === null) return local;
  const [, day, month, year, time] = match;
  return today === `${year}-${month}-${day}` ? (time ?? local) : `${day}/${month} ${time}`;
}
