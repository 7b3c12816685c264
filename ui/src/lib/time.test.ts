import { describe, expect, it } from 'vitest';
import { frenchMinute, minuteIn, setupZone } from './time';

describe("an instant's minute in the till's zone", () => {
  it.each([
    ['2026-12-07T23:30:00Z', 'Europe/Paris', '2026-12-08 00:30'],
    ['2026-12-07T23:30:00Z', 'UTC', '2026-12-07 23:30'],
    ['2026-07-15T21:59:59Z', 'Europe/Paris', '2026-07-15 23:59'],
    ['2026-07-15T22:00:00Z', 'Europe/Paris', '2026-07-16 00:00'],
    ['2026-12-07T10:05:00Z', 'Pacific/Kiritimati', '2026-12-08 00:05'],
    ['2026-12-07T10:05:00Z', 'Pacific/Pago_Pago', '2026-12-06 23:05'],
  ])('%s in %s is %s', (instant, zone, minute) => {
    expect(minuteIn(new Date(instant), zone)).toBe(minute);
  });

  it("is this PC's when the zone is unknown", () => {
    const date = new Date('2026-11-05T09:07:59Z');
    expect(minuteIn(date, 'Nowhere/Atlantis')).toBe(minuteIn(date));
  });
});

describe('a minute as French people read it', () => {
  it.each([
    ['2026-12-08 00:30', '08/12/2026 00:30'],
    ['2026-01-31 23:59', '31/01/2026 23:59'],
  ])('%s is %s', (minute, french) => {
    expect(frenchMinute(minute)).toBe(french);
  });
});

describe("a new till's zone guessed from this PC's", () => {
  it.each([
    ['Europe/Paris', 'Europe/Paris'],
    ['Indian/Reunion', 'Indian/Reunion'],
    ['America/Guadeloupe', 'America/Guadeloupe'],
    ['UTC', null],
    ['Etc/UTC', null],
    ['Etc/GMT-1', null],
    ['', null],
    [undefined, null],
  ])('%s gives %s', (pc, zone) => {
    expect(setupZone(pc)).toBe(zone);
  });
});
