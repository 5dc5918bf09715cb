/**
 * Customer data (issue 11): identify/alias through identity resolution, traits with per-trait
 * timestamps, Plaza's own facts (orders, pickups, returns, loyalty …) as events in the same store, and
 * the customer's events and traits in the customer 360. See docs/customer-data.md.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { factsSubscriber } from './facts.ts';
import { mergeSubscriber } from './merges.ts';
import { identityQueueJob } from './queue.ts';
import { customerDataRoutes } from './routes.ts';

export { factsOf, PLAZA_EVENT_MAPPING, PLAZA_SOURCE_ID, recordFact } from './facts.ts';
export { markDirty, processIdentityMessage } from './identity.ts';
export { IDENTITY_QUEUE_CHANNEL, processIdentityQueue } from './queue.ts';
export { customerEvents } from './routes.ts';
export { computedTraitsOf, traitsOf, upsertTraits } from './traits.ts';

export const customerDataFlow: PlazaModule = {
  name: 'customer-data',
  adminRoutes: customerDataRoutes,
  subscribers: (deps) => [factsSubscriber(deps), mergeSubscriber(deps)],
  jobs: (deps) => [identityQueueJob(deps)],
};
