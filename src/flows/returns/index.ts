/**
 * Returns anywhere: any order returned at any store or by mail, inspected (restock or write-off),
 * refunded through the original provider or as store credit, with exchanges in the same transaction.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { returnAdminRoutes } from './routes.ts';

export { createReturn, returnWindow } from './create.ts';
export { receiveReturnTx } from './receive.ts';

export const returnsFlow: PlazaModule = {
  name: 'returns',
  tags: [{ name: 'returns', description: 'Returns of any order at any location, refunds, exchanges' }],
  adminRoutes: returnAdminRoutes,
};
