// The dialogs the sale screen opens: which one, and what it is about.
import type { Department, ProductView } from '../lib/api';

export type Dialog =
  | { kind: 'qty'; index: number }
  | { kind: 'weigh'; product: ProductView; code: string | null; at: number | null }
  | { kind: 'discount'; index: number }
  | { kind: 'ticket_discount' }
  | { kind: 'department'; department: Department | null }
  | { kind: 'new_product'; barcode: string }
  /** Digits with no separator that no product has: which price? */
  | { kind: 'typed_price'; digits: string; qty: number; department: Department }
  | { kind: 'park' }
  | { kind: 'cancel_ticket' }
  | { kind: 'resume' }
  | { kind: 'pay' };
