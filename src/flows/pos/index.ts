/**
 * The store counter on the same API: sales built by scanning (SKU or barcode) on a `pos` channel,
 * customers found by phone or email, their online cart checked out in the store, payment by cash,
 * card or store credit with the store's stock sold at once, JSON and printable receipts, and the
 * endless aisle (order what the store lacks from another location).
 */
import type { PlazaModule } from '../../platform/module.ts';
import { counterRoutes } from './counters.ts';
import { posRoutes } from './routes.ts';

export { orderFromCounter } from './endless-aisle.ts';
export { type CustomerLookup, lookupCustomers } from './lookup.ts';
export { paySale } from './pay.ts';
export { receiptHtml, receiptOf } from './receipt.ts';

export const posFlow: PlazaModule = {
  name: 'pos',
  tags: [{ name: 'pos', description: 'Store counter: sales, customer lookup, receipts, endless aisle' }],
  adminRoutes(app, deps) {
    counterRoutes(app, deps);
    posRoutes(app, deps);
  },
};
