/**
 * Customer data (issue 11): identify/alias through identity resolution, traits with per-trait
 * timestamps, Plaza's own facts (orders, pickups, returns, loyalty …) as events in the same store, and
 * the customer's event timeline. See docs/events.md.
 */
import type { PlazaModule } from '../../platform/module.ts';

export const customerDataFlow: PlazaModule = {
  name: 'customer-data',
};
