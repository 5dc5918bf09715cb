/** Data-subject rights carried out across modules: export, restriction, erasure with suppression. */
import type { PlazaModule } from '../../platform/module.ts';
import { guestHistoryRoutes } from './guest-history.ts';
import { processRoutes } from './process.ts';

export { type BalanceDecision, eraseCustomer } from './erase.ts';
export { buildExport } from './export.ts';
export { processRequest } from './process.ts';
export { type Person, personOf } from './scope.ts';

export const privacyFlow: PlazaModule = {
  name: 'privacy-flow',
  adminRoutes(app, deps) {
    processRoutes(app, deps);
    guestHistoryRoutes(app, deps);
  },
};
