// Printing an order slip: like a receipt (lib/ui/print.svelte.ts), the slip is drawn alone in
// a print area moved to the root of the page, where the print stylesheet (app.css) shows it
// and hides the screens, then the page is printed. A receipt left in the receipts' print
// area is cleared first, so only the slip reaches the paper.
import { tick } from 'svelte';
import { printing } from '../../lib/ui/print.svelte';
import { ordersApi, type OrderView, type QrCode } from './api';

export const slipPrinting: { order: OrderView | null; qr: QrCode | null } = $state({ order: null, qr: null });

/** The QR code of an order number, or null (the slip is then printed without it). */
export async function qrOf(number: string): Promise<QrCode | null> {
  try {
    return await ordersApi.qrCode(number);
  } catch {
    return null;
  }
}

export async function printSlip(order: OrderView): Promise<void> {
  const qr = await qrOf(order.number);
  printing.doc = null;
  slipPrinting.order = order;
  slipPrinting.qr = qr;
  await tick();
  window.print();
}

/** Clears the slip before a receipt is printed. */
export function forgetSlip(): void {
  slipPrinting.order = null;
  slipPrinting.qr = null;
}

/** Moves a node to the root of the page (#app) while it is on screen. */
export function toRoot(node: HTMLElement): { destroy: () => void } {
  const root = document.getElementById('app') ?? document.body;
  root.appendChild(node);
  return { destroy: () => node.remove() };
}

/** Scrolls a message into view when it appears (a warning below the fold is not seen). */
export function reveal(node: HTMLElement): void {
  queueMicrotask(() => node.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' }));
}
