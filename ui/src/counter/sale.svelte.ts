// The sale being built at the counter: the cart (what is sold), and the backend's priced
// ticket for it (what it costs). Every change is priced by the backend; a change it
// refuses (a discount above the line, say) is undone and its message shown.
import { api, toApiError, type ApiError, type SaleInput, type Ticket } from '../lib/api';
import type { Line } from '../lib/bindings/Line';
import { emptyCart, fromSaleInput, toSaleInput, type Cart } from '../lib/model/cart';

export function newSaleId(): string {
  return crypto.randomUUID();
}

export class SaleState {
  // Raw (not deeply reactive): the model replaces objects, never mutates them, and the
  // identity of `cart` and `pricedCart` tells whether the shown ticket is up to date.
  cart: Cart = $state.raw(emptyCart(newSaleId()));
  /** The backend's ticket for `pricedCart` (null for an empty cart). */
  ticket: Ticket | null = $state.raw(null);
  /** The cart `ticket` prices: when it is not `cart`, a pricing is on its way. */
  pricedCart: Cart = $state.raw(this.cart);
  selected = $state(-1);
  error: ApiError | null = $state.raw(null);
  private sequence = 0;

  constructor(private readonly price: (sale: SaleInput) => Promise<Ticket> = api.priceSale) {}

  get pending(): boolean {
    return this.pricedCart !== this.cart;
  }

  get empty(): boolean {
    return this.cart.lines.length === 0;
  }

  get total(): number {
    return this.ticket?.total_cents ?? 0;
  }

  /** The priced line of a cart line (by its key), if the backend has priced it. */
  pricedLine(key: number): Line | null {
    const index = this.pricedCart.lines.findIndex((l) => l.key === key);
    return index < 0 ? null : (this.ticket?.lines[index] ?? null);
  }

  /** Shows `next` at once and has the backend price it. Resolves to false when refused. */
  async apply(next: Cart, select = this.selected): Promise<boolean> {
    this.cart = next;
    this.selected = Math.min(select, next.lines.length - 1);
    const sequence = ++this.sequence;
    if (next.lines.length === 0) {
      this.ticket = null;
      this.pricedCart = next;
      this.error = null;
      return true;
    }
    try {
      const ticket = await this.price(toSaleInput(next));
      if (sequence === this.sequence) {
        this.ticket = ticket;
        this.pricedCart = next;
        this.error = null;
      }
      return true;
    } catch (raw) {
      if (sequence === this.sequence) {
        this.error = toApiError(raw);
        // Back to the last cart the backend accepted.
        this.cart = this.pricedCart;
        this.selected = Math.min(this.selected, this.cart.lines.length - 1);
      }
      return false;
    }
  }

  /** A fresh, empty sale with a new id. */
  reset(): void {
    this.sequence++;
    this.cart = emptyCart(newSaleId());
    this.pricedCart = this.cart;
    this.ticket = null;
    this.selected = -1;
    this.error = null;
  }

  /** A parked cart back on the counter. */
  async restore(input: SaleInput): Promise<boolean> {
    this.reset();
    const cart = fromSaleInput(input, newSaleId());
    return this.apply(cart, cart.lines.length - 1);
  }

  input(): SaleInput {
    return toSaleInput(this.cart);
  }
}
