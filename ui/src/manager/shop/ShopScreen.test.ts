import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import { fakeBackend, refusal } from '../../test/tauri';
import type { ShopPeer, ShopStatus } from './api';
import ShopLink from './ShopLink.svelte';
import ShopScreen from './ShopScreen.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const INVITATION = 'relais1/T1/' + 'ab'.repeat(32) + '/10.0.0.1:47300/Librairie%20du%20Port';

function peer(till: string, over: Partial<ShopPeer> = {}): ShopPeer {
  return { till, address: '10.0.0.2:47300', held: 12, last_exchange: '07/12/2026 15:03:01', unpaired: false, defect: null, reachable: true, for_seconds: 4, why: null, ...over };
}

function status(peers: ShopPeer[], listen_error: string | null = null): ShopStatus {
  return { till: 'T1', listening: listen_error === null ? '0.0.0.0:47300' : null, listen_error, peers, conflicts: [], listen_setting: '0.0.0.0:47300', listen_override: null, price_list: null };
}

it.each<[name: string, peers: ShopPeer[], listenError: string | null, said: [id: string, text: string][]]>([
  ['three tills reached', [peer('T2'), peer('T3'), peer('T4')], null, [['shop-link', '3 caisses reliées']]],
  ['one silent for two minutes', [peer('T2'), peer('T3', { reachable: false, for_seconds: 150 })], null, [['shop-link', 'Caisse T3 injoignable depuis 2 min']]],
  ['a defect', [peer('T2', { defect: 'chaîne rompue' })], null, [['shop-link', 'Défaut : caisse T2']]],
  ['the port taken', [], 'impossible d’écouter', [['shop-listen-error', 'Réseau : pas d’écoute']]],
])('the status bar: %s', async (_name, peers, listenError, said) => {
  fakeBackend({ shop_status: () => status(peers, listenError) });
  const onopen = vi.fn();
  render(ShopLink, { onopen });
  for (const [id, text] of said) {
    await expect.poll(() => screen.queryByTestId(id)?.textContent?.trim()).toBe(text);
  }
  await fireEvent.click(screen.getByTestId(said[0]![0]));
  expect(onopen).toHaveBeenCalledOnce();
});

it('nothing in the status bar when no till is paired', async () => {
  const backend = fakeBackend({ shop_status: () => status([]) });
  render(ShopLink, { onopen: () => {} });
  await expect.poll(() => backend.calls.length).toBeGreaterThan(0);
  expect(screen.queryByTestId('shop-link')).toBeNull();
});

it('a manager sees the invitation, joins a till and unpairs it', async () => {
  let peers: ShopPeer[] = [];
  const backend = fakeBackend({
    shop_status: () => status(peers),
    shop_invitation: () => INVITATION,
    qr_code: () => ({ path: 'M0 0h1v1H0z', size: 21 }),
    shop_join: () => {
      peers = [peer('T2')];
      return 'T2';
    },
    shop_unpair: () => {
      peers = [peer('T2', { unpaired: true })];
      return 'T2';
    },
  });
  render(ShopScreen, { manager: true });
  await expect.poll(() => (screen.queryByTestId('shop-invitation') as HTMLTextAreaElement | null)?.value).toBe(INVITATION);
  expect(screen.getByTestId('shop-qr')).toBeTruthy();
  await fireEvent.input(screen.getByTestId('shop-paste'), { target: { value: ` ${INVITATION.replace('T1', 'T2')} ` } });
  await fireEvent.click(screen.getByTestId('shop-join'));
  await expect.poll(() => screen.queryByTestId('shop-done')?.textContent).toBe('Caisse T2 appairée : ses enregistrements seront reçus et vérifiés.');
  expect(backend.calls.filter((c) => c.command === 'shop_join').map((c) => c.args)).toEqual([{ invitation: INVITATION.replace('T1', 'T2') }]);
  await expect.poll(() => screen.queryByTestId('shop-peer')?.textContent).toContain('reliée');
  await fireEvent.click(screen.getByTestId('shop-unpair'));
  await fireEvent.click(screen.getByTestId('shop-unpair-yes'));
  await expect.poll(() => screen.queryByTestId('shop-done')?.textContent).toBe('Caisse T2 désappairée.');
  await expect.poll(() => screen.queryByTestId('shop-peer')?.textContent).toContain('désappairée');
});

it('a pasted invitation refused is said', async () => {
  fakeBackend({
    shop_status: () => status([]),
    shop_invitation: () => INVITATION,
    qr_code: () => ({ path: 'M0 0h1v1H0z', size: 21 }),
    shop_join: () => refusal('invalid_input', 'invitation d’un autre magasin'),
  });
  render(ShopScreen, { manager: true });
  await fireEvent.input(await screen.findByTestId('shop-paste'), { target: { value: 'relais1/T9/x' } });
  await fireEvent.click(screen.getByTestId('shop-join'));
  await expect.poll(() => screen.queryByTestId('shop-error')?.textContent).toBe('invitation d’un autre magasin');
});

it('a cashier sees the tills, not the invitation', async () => {
  const backend = fakeBackend({ shop_status: () => status([peer('T2')]) });
  render(ShopScreen, { manager: false });
  await expect.poll(() => screen.queryByTestId('shop-peer')?.textContent).toContain('T2');
  expect(screen.queryByTestId('shop-invitation')).toBeNull();
  expect(screen.queryByTestId('shop-unpair')).toBeNull();
  expect(backend.calls.map((c) => c.command)).not.toContain('shop_invitation');
});

it.each<[name: string, answer: 'kept' | 'refused', said: [id: string, text: string]]>([
  ['a good address is kept and the invitation asked again', 'kept', ['shop-done', 'La caisse écoute désormais sur 0.0.0.0:47310. Les autres caisses la rejoignent à nouveau avec l’invitation ci-dessous.']],
  ['a port below 1024 is refused in French', 'refused', ['shop-listen-refused', 'le port 80 est refusé : choisissez un port de 1024 à 65535 (47300 par défaut)']],
])('the listening address: %s', async (_name, answer, [id, text]) => {
  let invitations = 0;
  const backend = fakeBackend({
    shop_status: () => status([]),
    shop_invitation: () => {
      invitations += 1;
      return INVITATION;
    },
    qr_code: () => ({ path: 'M0 0h1v1H0z', size: 21 }),
    shop_set_listen: (args) =>
      answer === 'kept' ? String(args.address) : refusal('invalid_input', 'le port 80 est refusé : choisissez un port de 1024 à 65535 (47300 par défaut)'),
  });
  render(ShopScreen, { manager: true });
  await fireEvent.click(await screen.findByTestId('shop-listen-edit'));
  expect((screen.getByTestId('shop-listen-address') as HTMLInputElement).value).toBe('0.0.0.0:47300');
  await fireEvent.input(screen.getByTestId('shop-listen-address'), { target: { value: answer === 'kept' ? ' 0.0.0.0:47310 ' : '0.0.0.0:80' } });
  await fireEvent.click(screen.getByTestId('shop-listen-save'));
  await expect.poll(() => screen.queryByTestId(id)?.textContent?.trim()).toBe(text);
  const asked = backend.calls.filter((c) => c.command === 'shop_set_listen').map((c) => c.args);
  expect(asked).toEqual([{ address: answer === 'kept' ? '0.0.0.0:47310' : '0.0.0.0:80' }]);
  await expect.poll(() => invitations).toBe(answer === 'kept' ? 2 : 1);
});

it('an address forced by RELAIS_LAN_LISTEN is said, and the price list held', async () => {
  fakeBackend({
    shop_status: () => ({
      ...status([peer('T2')]),
      listen_override: '127.0.0.1:40001',
      price_list: { name: 'prix.csv', sha256_prefix: '0123456789ab', from_till: 'T2', offered_by: 'Marie', offered_at: '07/12/2026 18:02', own: false },
    }),
    shop_invitation: () => INVITATION,
    qr_code: () => ({ path: 'M0 0h1v1H0z', size: 21 }),
  });
  render(ShopScreen, { manager: true });
  await expect.poll(() => screen.queryByTestId('shop-listen-override')?.textContent).toContain('RELAIS_LAN_LISTEN (127.0.0.1:40001)');
  await expect
    .poll(() => screen.queryByTestId('shop-price-list-said')?.textContent?.replace(/\s+/g, ' ').trim())
    .toBe('prix.csv SHA-256 0123456789ab… — reçue de la caisse T2 (envoyée par Marie le 07/12/2026 18:02)');
});
