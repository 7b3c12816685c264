import { describe, expect, it } from 'vitest';
import type { Role } from './api';
import { afterSale, mayOpenDrawer, type AfterSale, type PrinterSettings } from './printer.svelte';

const thermal: PrinterSettings = {
  uri: 'tcp://192.168.1.50:9100',
  columns: 48,
  code_page: 16,
  print_every_receipt: true,
  drawer_on_cash: true,
  cashiers_open_drawer: false,
};
const onDemand: PrinterSettings = { ...thermal, print_every_receipt: false };
const none: PrinterSettings = { ...thermal, uri: '  ' };

describe('after a sale', () => {
  const cases: Array<[name: string, settings: PrinterSettings | null, opensDrawer: boolean, expected: AfterSale]> = [
    ['no printer: the system print on request, no drawer', none, true, { print: 'none', drawerAlone: false }],
    ['settings unreadable: as with no printer', null, true, { print: 'none', drawerAlone: false }],
    ['every receipt, cash: the drawer goes with the receipt', thermal, true, { print: 'auto', drawerAlone: false }],
    ['every receipt, card', thermal, false, { print: 'auto', drawerAlone: false }],
    ['on demand, cash: asked, and the drawer opens at once alone', onDemand, true, { print: 'ask', drawerAlone: true }],
    ['on demand, card: asked, no drawer', onDemand, false, { print: 'ask', drawerAlone: false }],
  ];
  it.each(cases)('%s', (_name, settings, opensDrawer, expected) => {
    expect(afterSale(settings, opensDrawer)).toEqual(expected);
  });
});

describe('« Ouvrir le tiroir » is offered', () => {
  const cases: Array<[name: string, settings: PrinterSettings | null, role: Role, expected: boolean]> = [
    ['to a manager', thermal, 'manager', true],
    ['not to a cashier by default', thermal, 'cashier', false],
    ['to a cashier when allowed', { ...thermal, cashiers_open_drawer: true }, 'cashier', true],
    ['to nobody without a printer', none, 'manager', false],
    ['to nobody when the settings are unreadable', null, 'manager', false],
  ];
  it.each(cases)('%s', (_name, settings, role, expected) => {
    expect(mayOpenDrawer(settings, role)).toBe(expected);
  });
});
