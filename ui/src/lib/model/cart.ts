// The cart as the counter builds it, and the SaleInput sent to the backend. The backend is
// the authority for prices and totals (price_sale): this model only says *what* is sold.

import type { Department } from '../bindings/Department';
import type { LineInput } from '../bindings/LineInput';
import type { PaymentInput } from '../bindings/PaymentInput';
import type { ProductView } from '../bindings/ProductView';
import type { SaleInput } from '../bindings/SaleInput';
import { parseQty, qtyInput } from './qty';

/** A line discount or the ticket discount: an amount, or a percentage ("10", "2,5"). */
export type Discount = { kind: 'cents'; cents: number } | { kind: 'percent'; percent: string };

export interface CartLine {
  /** Stable identity for the screen (keyed each blocks), never sent. */
  key: number;
  product_id: number | null;
  /** Catalogue lines: the code the backend looks the product up by. */
  barcode: string | null;
  sku: string | null;
  /** Department-key lines: the department and the typed price. */
  department: string | null;
  unit_price_cents: number | null;
  /** What the screen shows until the backend's priced line is back. */
  label: string;
  /** Sent only when the cashier typed a label for a department line. */
  custom_label: boolean;
  /** piece, kg, l or m: weighed goods get a weight instead of +1 when scanned again. */
  unit: string;
  qty_milli: number;
  discount: Discount | null;
}

export interface Cart {
  /** The sale's UUID: recording it twice (double click, retry) records it once. */
  id: string;
  lines: CartLine[];
  ticketDiscount: Discount | null;
  nextKey: number;
}

export function emptyCart(id: string): Cart {
  return { id, lines: [], ticketDiscount: null, nextKey: 1 };
}

/** Where an addition landed: the line to select and show. */
export interface Added {
  cart: Cart;
  index: number;
  merged: boolean;
}

/**
 * Adds one unit of a product. Scanning the same piece product again adds 1 to its line
 * (unless that line has its own discount); weighed goods always get a new line.
 */
export function addProduct(cart: Cart, product: ProductView, code: string | null, qtyMilli = 1000): Added {
  const barcode = code !== null && product.barcodes.includes(code) ? code : (product.barcodes[0] ?? null);
  const sku = barcode === null ? product.sku : null;
  if (barcode === null && sku === null) {
    throw new Error(`product ${product.id} has neither barcode nor SKU`);
  }
  if (product.unit === 'piece') {
    const index = cart.lines.findIndex(
      (l) =>
        (l.product_id === product.id || (l.barcode !== null && product.barcodes.includes(l.barcode))) &&
        l.discount === null &&
        l.qty_milli % 1000 === 0,
    );
    const existing = cart.lines[index];
    if (existing !== undefined) {
      const lines = cart.lines.slice();
      lines[index] = { ...existing, product_id: product.id, qty_milli: existing.qty_milli + qtyMilli };
      return { cart: { ...cart, lines }, index, merged: true };
    }
  }
  return push(cart, {
    product_id: product.id,
    barcode,
    sku,
    department: null,
    unit_price_cents: null,
    label: product.label,
    custom_label: false,
    unit: product.unit,
    qty_milli: qtyMilli,
    discount: null,
  });
}

/**
 * A scale label (EAN-13 of prefix 2): always a line of its own, sent by its code; the
 * backend reads the price or weight in it and finds the product by its PLU.
 */
export function addScaleLabel(cart: Cart, code: string, product: ProductView | null, fallbackLabel: string): Added {
  return push(cart, {
    product_id: product?.id ?? null,
    barcode: code,
    sku: null,
    department: null,
    unit_price_cents: null,
    label: product?.label ?? fallbackLabel,
    custom_label: false,
    unit: 'piece',
    qty_milli: 1000,
    discount: null,
  });
}

/** A department-key line: a typed price, the department's VAT rate and (default) name. */
export function addDepartmentLine(cart: Cart, department: Department, priceCents: number, label = '', qtyMilli = 1000): Added {
  const typed = label.trim();
  return push(cart, {
    product_id: null,
    barcode: null,
    sku: null,
    department: department.code,
    unit_price_cents: priceCents,
    label: typed === '' ? department.name : typed,
    custom_label: typed !== '',
    unit: 'piece',
    qty_milli: qtyMilli,
    discount: null,
  });
}

function push(cart: Cart, line: Omit<CartLine, 'key'>): Added {
  const lines = [...cart.lines, { ...line, key: cart.nextKey }];
  return { cart: { ...cart, lines, nextKey: cart.nextKey + 1 }, index: lines.length - 1, merged: false };
}

function update(cart: Cart, index: number, change: Partial<CartLine>): Cart {
  const line = cart.lines[index];
  if (line === undefined) return cart;
  const lines = cart.lines.slice();
  lines[index] = { ...line, ...change };
  return { ...cart, lines };
}

export function setQty(cart: Cart, index: number, qtyMilli: number): Cart {
  return update(cart, index, { qty_milli: qtyMilli });
}

export function setLineDiscount(cart: Cart, index: number, discount: Discount | null): Cart {
  return update(cart, index, { discount });
}

export function removeLine(cart: Cart, index: number): Cart {
  return { ...cart, lines: cart.lines.filter((_, i) => i !== index) };
}

export function setTicketDiscount(cart: Cart, discount: Discount | null): Cart {
  return { ...cart, ticketDiscount: discount };
}

/** The sale as the backend reads it; the operator is the session's, never sent. */
export function toSaleInput(cart: Cart, payments: PaymentInput[] = []): SaleInput {
  return {
    id: cart.id,
    operator: null,
    lines: cart.lines.map(toLineInput),
    ticket_discount_cents: cart.ticketDiscount?.kind === 'cents' ? cart.ticketDiscount.cents : null,
    ticket_discount_percent: cart.ticketDiscount?.kind === 'percent' ? cart.ticketDiscount.percent : null,
    payments,
    note: null,
    late: null,
  };
}

function toLineInput(line: CartLine): LineInput {
  const catalogue = line.barcode !== null || line.sku !== null;
  return {
    label: line.custom_label ? line.label : null,
    sku: line.barcode === null ? line.sku : null,
    barcode: line.barcode,
    department: catalogue ? null : line.department,
    qty: qtyInput(line.qty_milli),
    unit_price_cents: catalogue ? null : line.unit_price_cents,
    vat_rate_bp: null,
    discount_cents: line.discount?.kind === 'cents' ? line.discount.cents : null,
    discount_percent: line.discount?.kind === 'percent' ? line.discount.percent : null,
  };
}

/** A parked cart back as a cart (its labels come back from the backend's pricing). */
export function fromSaleInput(input: SaleInput, fallbackId: string): Cart {
  let cart = emptyCart(input.id ?? fallbackId);
  for (const l of input.lines) {
    const qty = l.qty === null ? 1000 : parseQty(String(l.qty));
    cart = push(cart, {
      product_id: null,
      barcode: l.barcode,
      sku: l.sku,
      department: l.department,
      unit_price_cents: l.unit_price_cents,
      label: l.label ?? l.barcode ?? l.sku ?? l.department ?? '',
      custom_label: l.label !== null && l.barcode === null && l.sku === null,
      unit: qty !== null && qty % 1000 !== 0 ? 'kg' : 'piece',
      qty_milli: qty ?? 1000,
      discount: discountOf(l.discount_cents, l.discount_percent),
    }).cart;
  }
  return { ...cart, ticketDiscount: discountOf(input.ticket_discount_cents, input.ticket_discount_percent) };
}

function discountOf(cents: number | null, percent: string | null): Discount | null {
  if (cents !== null) return { kind: 'cents', cents };
  if (percent !== null && percent.trim() !== '') return { kind: 'percent', percent };
  return null;
}

/** Number of items: pieces count one each, weighed goods one per line. */
export function itemCount(cart: Cart): number {
  return cart.lines.reduce((n, l) => n + (l.qty_milli % 1000 === 0 ? l.qty_milli / 1000 : 1), 0);
}
