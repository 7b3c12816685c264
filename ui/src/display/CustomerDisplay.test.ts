import { render, screen } from '@testing-library/svelte';
import { expect, it } from 'vitest';
import CustomerDisplay from './CustomerDisplay.svelte';
import type { DisplayLine, DisplayView } from './view';

const NNBSP = '\u202f';
const euros = (text: string) => text.replaceAll(' ', NNBSP);

function line(label: string, cents: number): DisplayLine {
  return { label, detail: `1 × ${cents / 100} €`, amount_cents: cents };
}
const bread = line('Baguette tradition', 120);
const many = Array.from({ length: 8 }, (_, i) => line(`Article ${i + 1}`, 100 + i));

/** What the customer must read (test id → text), and what must not be on the screen. */
type Expected = { shows: Record<string, string>; lines: string[]; absent: string[] };

it.each<[name: string, view: DisplayView, expected: Expected]>([
  ['no sale: a welcome', { phase: 'idle' }, { shows: { 'display-welcome': 'Bienvenue' }, lines: [], absent: ['display-total', 'display-thanks'] }],
  [
    'a sale being rung up: its lines and total',
    { phase: 'sale', lines: [bread, { ...bread, label: 'Croissant', amount_cents: 110 }], total_cents: 230 },
    { shows: { 'display-total': euros('2,30 €') }, lines: ['Baguette tradition', 'Croissant'], absent: ['display-welcome', 'display-thanks', 'display-change', 'display-more'] },
  ],
  [
    'a long sale: the last six lines, the others counted above',
    { phase: 'sale', lines: many, total_cents: 828 },
    { shows: { 'display-more': '… et 2\u00a0lignes plus haut', 'display-total': euros('8,28 €') }, lines: many.slice(2).map((l) => l.label), absent: [] },
  ],
  [
    'paid in cash: total, handed over, change, « Merci »',
    { phase: 'paid', lines: [bread, bread], total_cents: 240, tendered_cents: 500, change_cents: 260 },
    {
      shows: { 'display-total': euros('2,40 €'), 'display-tendered': euros('5,00 €'), 'display-change': euros('2,60 €'), 'display-thanks': 'Merci' },
      lines: ['Baguette tradition', 'Baguette tradition'],
      absent: ['display-welcome'],
    },
  ],
  [
    'paid by card: no change',
    { phase: 'paid', lines: [bread], total_cents: 120, tendered_cents: 120, change_cents: 0 },
    { shows: { 'display-total': euros('1,20 €'), 'display-thanks': 'Merci' }, lines: ['Baguette tradition'], absent: ['display-change'] },
  ],
])('%s', (_name, view, expected) => {
  render(CustomerDisplay, { view });
  expect(screen.getByTestId('customer-display').dataset.phase).toBe(view.phase);
  for (const [id, text] of Object.entries(expected.shows)) {
    expect(screen.getByTestId(id).textContent?.trim(), id).toBe(text);
  }
  const shown = screen.queryAllByTestId('display-line').map((row) => row.querySelector('.label')?.firstChild?.textContent);
  expect(shown).toEqual(expected.lines);
  for (const id of expected.absent) expect(screen.queryByTestId(id), id).toBeNull();
});

it('the display stays in French whatever the till’s language, unless told', () => {
  render(CustomerDisplay, { view: { phase: 'paid', lines: [], total_cents: 0, tendered_cents: 0, change_cents: 0 }, lang: 'en' });
  expect(screen.getByTestId('display-thanks').textContent).toBe('Thank you');
});
