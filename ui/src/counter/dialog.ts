// The dialogs the sale screen opens: which one, and what it is about.
import type { Department, ProductView } from '../lib/api';

export type Dialog =
  | { kind: 'qty'; index: number }
  | { kind: 'weigh'; product: ProductView; code: string | null; at: number | null }
  | { kind: 'discount'; index: number }
  | { kind: 'ticket_discount' }
  | { kind: 'department'; department: Department | null }
  | { kind: 'new_product'; barcode: string }
  | { kind: 'park' }
  | { kind: 'resume' }
  | { kind: 'pay' };
