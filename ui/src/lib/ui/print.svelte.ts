// Printing: what is printed is drawn alone in the print area at the root of the page (hidden
// on screen) and the page is printed with window.print(); the print stylesheet hides
// everything else, so nothing of the screen's layout reaches the paper. A receipt goes on
// the 80 mm roll; a report page (X, Z…) on whatever paper the printer has.
import { tick, type Component } from 'svelte';
import type { ReceiptDoc } from '../api';

/** A report to print: a component and its props, drawn in the print area. */
export interface PrintPage {
  component: Component<any>;
  props: Record<string, unknown>;
}

export const printing: { doc: ReceiptDoc | null; page: PrintPage | null } = $state({ doc: null, page: null });

export async function printReceipt(doc: ReceiptDoc): Promise<void> {
  printing.page = null;
  printing.doc = doc;
  pageSize(null);
  await tick();
  window.print();
}

/** Prints a report page: `component` drawn with `props`. */
export async function printPage<Props extends Record<string, unknown>>(component: Component<Props>, props: Props): Promise<void> {
  printing.doc = null;
  printing.page = { component, props };
  pageSize('auto');
  await tick();
  window.print();
}

/**
 * app.css sets the paper to the 80 mm roll of receipts; a page lets the printer choose
 * ("auto"). Done through the CSS object model, which the content security policy allows
 * (an inline <style> it would block).
 */
let pageRule: CSSRule | null = null;
function pageSize(size: string | null): void {
  const sheet = pageRule?.parentStyleSheet ?? (typeof document === 'undefined' ? null : document.styleSheets[0] ?? null);
  if (sheet === null) return;
  if (pageRule !== null) {
    const index = [...sheet.cssRules].indexOf(pageRule);
    if (index >= 0) sheet.deleteRule(index);
    pageRule = null;
  }
  if (size === null) return;
  try {
    const index = sheet.insertRule(`@media print { @page { size: ${size}; margin: 12mm; } }`, sheet.cssRules.length);
    pageRule = sheet.cssRules[index] ?? null;
  } catch {
    // A stylesheet that refuses rules: the page prints on the receipt's paper.
  }
}
