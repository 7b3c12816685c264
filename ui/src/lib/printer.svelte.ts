// The thermal receipt printer as the counter sees it: its settings, the receipts that did not
// come out (the banner and its « Réessayer »), and the choice made after each sale. Printing
// never holds the counter: every call is awaited off the sale's path, and a failure only
// adds a line to `unprinted`.
import { call, toApiError, type ApiError, type Role } from './api';
import type { PrinterSettings } from './bindings/PrinterSettings';
import type { PrintJob } from './bindings/PrintJob';

export type { PrinterSettings } from './bindings/PrinterSettings';
export type { PrintJob } from './bindings/PrintJob';

export const printerApi = {
  settings: () => call<PrinterSettings>('printer_settings'),
  save: (settings: PrinterSettings) => call<void>('set_printer_settings', { settings }),
  /** The test page, on the printer as saved; answers the address it went to. */
  testPage: () => call<string>('print_test_page'),
  /** The receipt (a DUPLICATA if the original already came out), with the drawer's pulse
   *  when `openDrawer` and the sale was just paid in cash. */
  printReceipt: (reference: string, openDrawer: boolean) => call<PrintJob>('print_receipt', { reference, openDrawer }),
  /** The drawer alone: for the cash sale just recorded (`sale`), else a drawer opened
   *  without a sale (journaled, needs the right). */
  openDrawer: (sale: string | null) => call<void>('open_drawer', { sale }),
  /** The X report (`closure` null) or a closure (`T1-Z000003`) on the thermal printer;
   *  answers the report's title. */
  printReport: (closure: string | null) => call<string>('print_report', { closure }),
  /** A customer order's slip on the thermal printer; answers the order's number. */
  printOrderSlip: (reference: string) => call<string>('print_order_slip', { reference }),
};

/** What the counter does once a sale is recorded. */
export interface AfterSale {
  /** `auto`: the receipt prints by itself; `ask`: « Imprimer ? » (Entrée = oui);
   *  `none`: no thermal printer, only the explicit « Imprimer le ticket » (system print). */
  print: 'auto' | 'ask' | 'none';
  /** The drawer opens on its own, without a receipt (the receipt's job carries it otherwise). */
  drawerAlone: boolean;
}

export function afterSale(settings: PrinterSettings | null, opensDrawer: boolean): AfterSale {
  if (settings === null || settings.uri.trim() === '') return { print: 'none', drawerAlone: false };
  if (settings.print_every_receipt) return { print: 'auto', drawerAlone: false };
  return { print: 'ask', drawerAlone: opensDrawer };
}

/** Whether « Ouvrir le tiroir » is offered to this person (the backend checks it again). */
export function mayOpenDrawer(settings: PrinterSettings | null, role: Role): boolean {
  if (settings === null || settings.uri.trim() === '') return false;
  return role === 'manager' || settings.cashiers_open_drawer;
}

/** Errors that come from the printer (the sale itself is recorded whatever they say). */
export function isPrinterProblem(error: ApiError): boolean {
  return error.kind.startsWith('printer_');
}

/** A receipt that did not come out, or a drawer that did not open. */
export interface Unprinted {
  reference: string;
  number: string;
  what: 'receipt' | 'drawer';
  /** The receipt's job was to open the drawer too (a cash sale's): tried again with it. */
  openDrawer: boolean;
  error: ApiError;
}

class Printer {
  settings: PrinterSettings | null = $state.raw(null);
  unprinted: Unprinted[] = $state.raw([]);
  /** Receipts on their way to the printer. */
  busy = $state(0);

  get thermal(): boolean {
    return this.settings !== null && this.settings.uri.trim() !== '';
  }

  async load(): Promise<void> {
    try {
      this.settings = await printerApi.settings();
    } catch {
      // No settings readable: the counter sells and prints through the system, as before.
      this.settings = null;
    }
  }

  private forget(reference: string, what: Unprinted['what']): void {
    this.unprinted = this.unprinted.filter((u) => u.reference !== reference || u.what !== what);
  }

  private remember(entry: Unprinted): void {
    this.unprinted = [...this.unprinted.filter((u) => u.reference !== entry.reference || u.what !== entry.what), entry];
  }

  /** Sends the receipt; null when it did not come out (the banner then says why). */
  async receipt(reference: string, number: string, openDrawer: boolean): Promise<PrintJob | null> {
    this.busy++;
    try {
      const job = await printerApi.printReceipt(reference, openDrawer);
      this.forget(reference, 'receipt');
      return job;
    } catch (raw) {
      this.remember({ reference, number, what: 'receipt', openDrawer, error: toApiError(raw) });
      return null;
    } finally {
      this.busy--;
    }
  }

  /** The drawer's pulse for the cash sale just recorded, with no receipt. */
  async drawerFor(reference: string, number: string): Promise<void> {
    try {
      await printerApi.openDrawer(reference);
      this.forget(reference, 'drawer');
    } catch (raw) {
      this.remember({ reference, number, what: 'drawer', openDrawer: true, error: toApiError(raw) });
    }
  }

  /** « Réessayer »: every receipt that did not come out (a DUPLICATA only if the original
   *  did), and the drawer of a cash sale that did not open (the backend opens it for the
   *  last cash sale only, once). */
  async retry(): Promise<void> {
    for (const entry of this.unprinted) {
      if (entry.what === 'receipt') await this.receipt(entry.reference, entry.number, entry.openDrawer);
      else await this.drawerFor(entry.reference, entry.number);
    }
  }

  dismiss(): void {
    this.unprinted = [];
  }
}

export const printer = new Printer();
