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
