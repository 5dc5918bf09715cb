/** Merging duplicate customer profiles: preview, merge with an audit of every row moved, and undo. */
import type { PlazaModule } from '../../platform/module.ts';
import { mergeRoutes } from './routes.ts';

export { mergeCustomers } from './merge.ts';
export { planMerge } from './plan.ts';
export { undoMerge } from './undo.ts';

export const customerMergeFlow: PlazaModule = {
  name: 'customer-merge',
  tags: [{ name: 'customers: merge', description: 'Merge duplicate profiles, with preview, audit and undo' }],
  adminRoutes: mergeRoutes,
};
export { personalData } from './personal-data.ts';
