import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { fakeBackend } from '../../test/tauri';
import type { SaasCheck } from './api';
import SaasBanner from './SaasBanner.svelte';
import SaasPanel from './SaasPanel.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const off: SaasCheck = { url: null, checked_at: null, answered: null, detail: '', outage_open: true };
const down: SaasCheck = { url: 'https://status.exemple.fr', checked_at: '2026-12-01T13:02:00Z', answered: false, detail: 'HTTP 503', outage_open: true };
const up: SaasCheck = { ...down, checked_at: '2026-12-01T13:05:00Z', answered: true, detail: 'HTTP 200' };

describe('the status page watch', () => {
  it('is off until an address is saved, then shows what the check found', async () => {
    let now = off;
    const backend = fakeBackend({
      till_zone: () => 'Europe/Paris',
      saas_check: () => now,
      set_saas_status_url: ({ url }) => {
        now = { ...down, url: url as string };
        return null;
      },
      check_saas_now: () => {
        now = up;
        return null;
      },
    });
    render(SaasPanel);
    const state = await screen.findByTestId('saas-state');
    await vi.waitFor(() => expect(state.dataset.state).toBe('off'));
    expect(state.textContent).toContain('aucun accès réseau');
    await fireEvent.input(screen.getByTestId('saas-url'), { target: { value: ' https://status.exemple.fr ' } });
    await fireEvent.click(screen.getByTestId('saas-save'));
    await vi.waitFor(() => expect(screen.getByTestId('saas-state').dataset.state).toBe('down'));
    expect(backend.calls.find((c) => c.command === 'set_saas_status_url')?.args).toEqual({ url: 'https://status.exemple.fr' });
    expect(screen.getByTestId('saas-state').textContent).toContain('ne répond pas encore (HTTP 503)');
    await fireEvent.click(screen.getByTestId('saas-check-now'));
    await vi.waitFor(() => expect(screen.getByTestId('saas-state').dataset.state).toBe('up'));
    expect(screen.getByTestId('saas-state').textContent).toContain('le service répond (HTTP 200)');
  });
});

describe('the service-is-back banner', () => {
  // (what the check found, the operator is a manager, banner shown, export button shown)
  const cases: Array<[SaasCheck, boolean, boolean, boolean]> = [
    [off, true, false, false],
    [down, true, false, false],
    [{ ...up, outage_open: false }, true, false, false],
    [up, true, true, true],
    [up, false, true, false],
  ];
  it.each(cases)('check %o, manager %s: shown %s, export button %s', async (check, manager, shown, exportButton) => {
    fakeBackend({ saas_check: () => check });
    const onexport = vi.fn();
    render(SaasBanner, { manager, onexport });
    await new Promise((done) => setTimeout(done, 20));
    expect(screen.queryByTestId('saas-back') !== null).toBe(shown);
    expect(screen.queryByTestId('saas-back-export') !== null).toBe(exportButton);
    if (exportButton) {
      expect(screen.getByTestId('saas-back').textContent).toContain('Le service est rétabli');
      await fireEvent.click(screen.getByTestId('saas-back-export'));
      expect(onexport).toHaveBeenCalledOnce();
    }
  });
});
