// The day's tickets searched as a cashier types: each word must match the ticket's time
// (« 14h », « 14:05 », « 9h30 »), its amount (« 7,90 », « 7 » for 7,xx €), a payment method
// (« esp », « carte », « cb »), the cashier (« mar ») or its number (« 42 », « T1-000042 »).
import type { TicketSummary } from '../lib/bindings/TicketSummary';

/** Lower case, no accents: « Espèces » and « especes » are the same word. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Words for a method beyond its label (what French cashiers say). */
const ALIASES: Record<string, string[]> = {
  card: ['cb', 'carte'],
  cash: ['liquide', 'especes'],
  cheque: ['cheque', 'chq'],
  store_credit: ['avoir'],
};

function timeMatches(word: string, time: string): boolean {
  const m = /^(\d{1,2})(?:[h:](\d{0,2}))?$/.exec(word);
  if (m === null || (!word.includes('h') && !word.includes(':'))) return false;
  const hour = m[1]!.padStart(2, '0');
  return time.startsWith(`${hour}:${m[2] ?? ''}`);
}

function amountMatches(word: string, cents: number): boolean {
  const m = /^(\d+)(?:[,.](\d{0,2}))?€?$/.exec(word);
  if (m === null) return false;
  const euros = Number(m[1]);
  if (Math.floor(Math.abs(cents) / 100) !== euros) return false;
  const decimals = m[2] ?? '';
  if (decimals === '') return true;
  return Math.abs(cents) % 100 === Number(decimals.padEnd(2, '0'));
}

function wordMatches(word: string, ticket: TicketSummary, methodLabel: (code: string) => string): boolean {
  if (timeMatches(word, ticket.time)) return true;
  if (amountMatches(word, ticket.total_cents)) return true;
  if (fold(ticket.operator).startsWith(word)) return true;
  if (fold(ticket.number).includes(word)) return true;
  return ticket.methods.some(
    (code) => fold(methodLabel(code)).startsWith(word) || code.startsWith(word) || (ALIASES[code] ?? []).some((a) => a.startsWith(word)),
  );
}

/** Whether every word of `query` matches the ticket. */
export function ticketMatches(ticket: TicketSummary, query: string, methodLabel: (code: string) => string): boolean {
  const words = fold(query).split(/\s+/).filter((w) => w !== '');
  return words.every((word) => wordMatches(word, ticket, methodLabel));
}

/** A ticket's number or the id its QR code holds: found directly, not searched in the list. */
export function isReference(query: string): boolean {
  const text = query.trim();
  return /^[A-Za-z0-9]+-[A-Za-z]?\d+$/.test(text) || /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(text);
}
