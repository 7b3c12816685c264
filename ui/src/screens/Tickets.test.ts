import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { DayTickets, ReceiptDoc, TicketSummary } from '../lib/api';
import { fakeBackend } from '../test/tauri';
import Tickets from './Tickets.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

function summary(number: string, time: string, total: number, methods: string[], operator: string): TicketSummary {
  return { id: `id-${number}`, number, time, total_cents: total, methods, operator, voided: false, refunded: false, late: false };
}

const day: DayTickets = {
  business_day: '2026-12-07',
  tickets: [
    summary('T1-000003', '15:10:00', 790, ['card'], 'Paul'),
    summary('T1-000002', '14:05:09', 250, ['cash'], 'Marie'),
    summary('T1-000001', '09:30:00', 1200, ['cheque', 'cash'], 'Marie'),
  ],
  truncated: false,
};

function receipt(number: string): ReceiptDoc {
  return {
    shop: { name: 'Épicerie', address: '1 rue A', siret: '1', vat_number: '' },
    title: 'VENTE', number, id: `id-${number}`, local_time: '07/12/2026 15:10:00', till: 'T1', operator: 'Paul',
    copy_no: null, training: false, corrects: null, reason: null, lines: [], ticket_discount_cents: 0, total_cents: 790,
    vat: [], payments: [], line_count: 0, item_count: '0', note: null, hash_extract: 'abcd', software: '0.1.0',
    qr_text: '', qr_path: '', qr_size: 0,
  };
}

const listed = () => screen.queryAllByTestId('day-ticket').map((row) => row.dataset.number);

describe('tickets of the day', () => {
  it('lists the day newest first, filters as typed, and Entrée opens the highlighted one', async () => {
    const backend = fakeBackend({ day_tickets: () => day, receipt: (args) => receipt(args.reference as string) });
    render(Tickets);
    await waitFor(() => expect(listed()).toEqual(['T1-000003', 'T1-000002', 'T1-000001']));
    const field = screen.getByTestId('ticket-reference') as HTMLInputElement;
    const cases: [query: string, shown: string[]][] = [
      ['marie', ['T1-000002', 'T1-000001']],
      ['14h', ['T1-000002']],
      ['12,00', ['T1-000001']],
      ['cb', ['T1-000003']],
      ['marie esp', ['T1-000002', 'T1-000001']],
      ['', ['T1-000003', 'T1-000002', 'T1-000001']],
    ];
    for (const [query, shown] of cases) {
      await fireEvent.input(field, { target: { value: query } });
      expect(listed(), query).toEqual(shown);
    }
    // Nothing typed: Entrée is « dernier ticket ».
    await fireEvent.submit(field.closest('form') as HTMLFormElement);
    await waitFor(() => expect(backend.calls.filter((c) => c.command === 'receipt').map((c) => c.args.reference)).toEqual(['T1-000003']));
    // ↓ then Entrée: the one before.
    await fireEvent.input(field, { target: { value: 'marie' } });
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    await fireEvent.submit(field.closest('form') as HTMLFormElement);
    await waitFor(() => expect(backend.calls.filter((c) => c.command === 'receipt').at(-1)?.args.reference).toBe('T1-000001'));
  });
});
