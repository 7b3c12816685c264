// The lines of an order or a paper slip being typed, priced by the backend as the counter's
// cart is (`price_sale`, at the till's rates): each line's total and the total. A line that
// cannot be read yet is not sent and has no total. Typing is priced once it pauses; `settle`
// prices at once, for a form about to be sent.
import { untrack } from 'svelte';
import { api, toApiError, type ApiError, type SaleInput, type Ticket } from '../../lib/api';
import type { LineInput } from '../../lib/bindings/LineInput';
import { toLineInput, type DraftLine } from './model';

/** How long typing pauses before the lines are priced. */
export const PRICING_DELAY_MS = 250;

/** The lines the backend can price: the readable ones, as it takes them. */
function readable(lines: readonly DraftLine[]): LineInput[] {
  return lines.map(toLineInput).filter((input): input is LineInput => typeof input !== 'string');
}

const keyOf = (value: unknown) => JSON.stringify(value);

export class DraftPricing {
  /** The backend's total of each line priced last, by the line as sent (the same line always
   *  costs the same). */
  private totals: ReadonlyMap<string, number> = $state.raw(new Map());
  /** The backend's total of the lines priced last; null when it refused them. */
  total: number | null = $state(0);
  /** Why the backend refused the lines (a rate the till does not have, say). */
  error: ApiError | null = $state.raw(null);
  /** The lines the figures shown are for, and the lines to price next. */
  private shown = $state(keyOf([]));
  private wanted = $state(keyOf([]));
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly price: (sale: SaleInput) => Promise<Ticket> = api.priceSale,
    private readonly delay = PRICING_DELAY_MS,
  ) {}

  /** True while the figures shown are not yet those of the lines typed. */
  get pending(): boolean {
    return this.shown !== this.wanted;
  }

  /** The backend's total of a line; 'pending' while it is being priced; null when the line
   *  cannot be read or the backend refused the lines. */
  lineTotal(line: DraftLine): number | 'pending' | null {
    const input = toLineInput(line);
    if (typeof input === 'string') return null;
    return this.totals.get(keyOf(input)) ?? (this.pending ? 'pending' : null);
  }

  /** The lines changed: they are priced once typing pauses. Reads `lines` (an effect calling
   *  this runs again when they change), nothing else. */
  update(lines: readonly DraftLine[]): void {
    const inputs = readable(lines);
    const key = keyOf(inputs);
    untrack(() => {
      if (key === this.wanted) return;
      this.wanted = key;
      this.stopTimer();
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.run(inputs, key);
      }, this.delay);
    });
  }

  /** The backend's total for these lines, priced now; null when it refuses them (`error`
   *  says why) or they changed meanwhile. */
  async settle(lines: readonly DraftLine[]): Promise<number | null> {
    const inputs = readable(lines);
    const key = keyOf(inputs);
    this.stopTimer();
    this.wanted = key;
    if (this.shown !== key || this.error !== null) await this.run(inputs, key);
    return this.shown === key && this.error === null ? this.total : null;
  }

  /** No pricing left to come (the form is gone). */
  stop(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async run(inputs: LineInput[], key: string): Promise<void> {
    if (inputs.length === 0) {
      this.show(key, new Map(), 0, null);
      return;
    }
    const sale: SaleInput = {
      id: null,
      operator: null,
      lines: inputs,
      ticket_discount_cents: null,
      ticket_discount_percent: null,
      payments: [],
      note: null,
      late: null,
    };
    try {
      const ticket = await this.price(sale);
      if (key !== this.wanted) return; // typed on meanwhile: a newer pricing is coming
      const totals = new Map<string, number>();
      inputs.forEach((input, index) => {
        const line = ticket.lines[index];
        if (line !== undefined) totals.set(keyOf(input), line.total_cents);
      });
      this.show(key, totals, ticket.total_cents, null);
    } catch (raw) {
      if (key !== this.wanted) return;
      this.show(key, new Map(), null, toApiError(raw));
    }
  }

  private show(key: string, totals: Map<string, number>, total: number | null, error: ApiError | null): void {
    this.totals = totals;
    this.total = total;
    this.error = error;
    this.shown = key;
  }
}
