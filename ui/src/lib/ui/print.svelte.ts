// Printing a receipt: it is drawn alone in the print area at the root of the page (hidden
// on screen) and the page is printed with window.print(); the print stylesheet hides
// everything else, so nothing of the screen's layout reaches the paper.
import { tick } from 'svelte';
import type { ReceiptDoc } from '../api';

export const printing: { doc: ReceiptDoc | null } = $state({ doc: null });

export async function printReceipt(doc: ReceiptDoc): Promise<void> {
  printing.doc = doc;
  await tick();
  window.print();
}
