/**
 * Keeps the analytics rollups in step with the outbox: every fact about an order (its states,
 * payments, refunds, returns, pickup) marks the days that order's figures live on; merges, undone
 * merges and erasures mark every day of the customers' orders and touches (who is new or returning,
 * and whose path a touch is on, change) and move the touches with the events. An erasure has deleted
 * the customer's touches already (personal-data.ts): their sales are rebuilt as direct and stay in
 * the totals; their paths that did not convert stay counted (anonymous counts) until their days are
 * rebuilt for another reason.
 * The job (rollup.ts `rebuildStep`) rebuilds the marked days within seconds.
 */
import type { Deps } from '../../platform/module.ts';
import type { OutboxEvent, Subscriber } from '../../platform/outbox/events.ts';
import { markCustomerDays, markOrderDays } from './rollup.ts';
import { moveTouches, retakeTouchOwners } from './touches.ts';

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

const ORDER_TYPES = ['order.*', 'payment.*', 'refund.*', 'return.*', 'pickup.*', 'pos.*'];
const CUSTOMER_TYPES = ['customer.merged', 'customer.merge_undone', 'customer.erased'];

const orderIdOf = (e: OutboxEvent): string | null =>
  e.aggregateType === 'order' && e.aggregateId ? e.aggregateId : str(e.data.order_id);

export const analyticsSubscribers = (deps: Pick<Deps, 'clock'>): Subscriber[] => [
  {
    name: 'analytics:order-days',
    types: ORDER_TYPES,
    accepts: (e) => orderIdOf(e) !== null,
    handle: async (tx, e) => {
      const id = orderIdOf(e);
      const ids = [id, str(e.data.exchange_order_id)].filter((x): x is string => x !== null);
      await markOrderDays(tx, ids, deps.clock.now());
    },
  },
  {
    name: 'analytics:customer-days',
    types: CUSTOMER_TYPES,
    handle: async (tx, e) => {
      const ids = [
        str(e.data.customer_id),
        str(e.data.merged_customer_id),
        str(e.data.other_customer_id),
        e.aggregateType === 'customer' ? e.aggregateId : null,
      ].filter((x): x is string => x !== null);
      const to = str(e.data.customer_id);
      const from = str(e.data.merged_customer_id);
      // this subscriber runs after the customer-data flow's: the events have moved already
      if (e.type === 'customer.merged' && from && to) await moveTouches(tx, from, to);
      if (e.type === 'customer.merge_undone') await retakeTouchOwners(tx, ids);
      await markCustomerDays(tx, ids, deps.clock.now());
    },
  },
];
