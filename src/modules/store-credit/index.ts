/**
 * Store credit: a per-customer, per-currency balance given by refunds and spent at the counter.
 * The balance never goes negative; every change is an entry in an append-only ledger.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { storeCreditAdminRoutes, storeCreditStoreRoutes } from './routes.ts';

export { balancesOf, type CreditEntryRow, type CreditKind, entriesOf, ledgerSums } from './repo.ts';
export { type CreditMove, entryToApi, moveStoreCredit } from './service.ts';

export const storeCreditModule: PlazaModule = {
  name: 'store-credit',
  tags: [{ name: 'store credit', description: "Customers' store-credit balances and ledger" }],
  adminRoutes: storeCreditAdminRoutes,
  storeRoutes: storeCreditStoreRoutes,
};
export { personalData } from './personal-data.ts';
