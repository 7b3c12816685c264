import { describe, expect, it } from 'vitest';
import type { ShopPeer, ShopStatus } from './api';
import { summarize, type LinkSummary } from './model';

function peer(till: string, over: Partial<ShopPeer> = {}): ShopPeer {
  return { till, address: '10.0.0.2:47300', held: 3, last_exchange: null, unpaired: false, defect: null, reachable: true, for_seconds: 5, why: null, ...over };
}

function status(peers: ShopPeer[]): ShopStatus {
  return { till: 'T1', listening: '0.0.0.0:47300', listen_error: null, peers, conflicts: [], listen_setting: '0.0.0.0:47300', listen_override: null, price_list: null };
}

describe('summarize', () => {
  const cases: [string, ShopPeer[], LinkSummary][] = [
    ['no till paired', [], { kind: 'none' }],
    ['only unpaired tills', [peer('T2', { unpaired: true })], { kind: 'none' }],
    ['three reached', [peer('T2'), peer('T3'), peer('T4')], { kind: 'linked', count: 3 }],
    ['one not reached for 30 s', [peer('T2'), peer('T3', { reachable: false, for_seconds: 30 })], { kind: 'linked', count: 1 }],
    ['one silent for 2 min', [peer('T2'), peer('T3', { reachable: false, for_seconds: 130 })], { kind: 'silent', till: 'T3', minutes: 2 }],
    ['the longest silent is named', [peer('T2', { reachable: false, for_seconds: 70 }), peer('T3', { reachable: false, for_seconds: 400 })], { kind: 'silent', till: 'T3', minutes: 6 }],
    ['a defect before all', [peer('T2', { reachable: false, for_seconds: 400 }), peer('T3', { defect: 'chaîne rompue' })], { kind: 'defect', till: 'T3' }],
    ['before the first sync', [peer('T2', { reachable: null, for_seconds: 0 })], { kind: 'linked', count: 0 }],
  ];
  it.each(cases)('%s', (_, peers, expected) => {
    expect(summarize(status(peers))).toEqual(expected);
  });
});
