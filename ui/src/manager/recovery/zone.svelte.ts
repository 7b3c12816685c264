// The till's time zone, read once by the recovery screen: instants (the outage, backups) are
// shown in it, whatever zone this PC is set to. Undefined until known: the PC's zone then.
import { recoveryApi } from './api';

let zone: string | undefined = $state(undefined);

export const tillZone = {
  get value(): string | undefined {
    return zone;
  },
};

export async function loadTillZone(): Promise<void> {
  try {
    zone = (await recoveryApi.tillZone()) ?? undefined;
  } catch {
    zone = undefined;
  }
}
