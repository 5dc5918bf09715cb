/**
 * Outbox subscribers of journeys: Plaza facts (pickup.ready, order.picked_up, customer.registered …)
 * and segment entries start journeys; order facts end the runs of journeys that exit on them
 * (conversion). Both are idempotent: an entry is unique per (journey, customer, trigger key), and the
 * dispatcher never hands a subscriber the same event twice.
 */
import { getOrder } from '../../modules/orders/index.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { OutboxEvent, Subscriber } from '../../platform/outbox/events.ts';
import { factsOf } from '../customer-data/index.ts';
import { activeTriggers, enroll } from './repo.ts';

/** Outbox types a `fact` trigger may name. */
export const FACT_TYPES = [
  'order.*',
  'pickup.*',
  'pos.sale_completed',
  'return.received',
  'refund.issued',
  'loyalty.*',
  'customer.created',
  'customer.registered',
];

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** The customer an event is about: its customer_id, or its order's customer. */
const customerOf = async (q: Queryable, e: OutboxEvent): Promise<string | null> => {
  const direct = str(e.data.customer_id);
  if (direct) return direct;
  if (e.aggregateType === 'customer' && e.aggregateId) return e.aggregateId;
  const orderId = str(e.data.order_id) ?? (e.aggregateType === 'order' ? e.aggregateId : null);
  return orderId ? ((await getOrder(q, orderId))?.customer_id ?? null) : null;
};

/** The entry's key for a fact: its order (pickup.ready of order X enters once), else its subject. */
const factKey = (e: OutboxEvent): string =>
  str(e.data.order_id) ?? (e.aggregateId ? `${e.aggregateType}:${e.aggregateId}` : e.id);

const enterOnFact = async (tx: Tx, deps: Pick<Deps, 'clock'>, e: OutboxEvent): Promise<void> => {
  const now = deps.clock.now();
  if (e.type === 'segment.entered') {
    const segmentId = str(e.data.segment_id);
    const customerId = str(e.data.customer_id);
    if (!segmentId || !customerId) return;
    const journeys = (await activeTriggers(tx, 'segment_entered')).filter(
      (j) => j.trigger.segment_id === segmentId,
    );
    await enroll(
      tx,
      journeys.map((j) => ({
        journeyId: j.journey_id,
        version: j.version,
        customerId,
        triggerKey: `${segmentId}:${str(e.data.at) ?? e.id}`,
        context: { segment_id: segmentId, entered_at: str(e.data.at) },
      })),
      now,
    );
    return;
  }
  const journeys = (await activeTriggers(tx, 'fact')).filter((j) => j.trigger.outbox_type === e.type);
  if (journeys.length === 0) return;
  const customerId = await customerOf(tx, e);
  if (!customerId) return;
  await enroll(
    tx,
    journeys.map((j) => ({
      journeyId: j.journey_id,
      version: j.version,
      customerId,
      triggerKey: factKey(e),
      context: { outbox_type: e.type, event_id: e.id, ...e.data },
    })),
    now,
  );
};

/**
 * Ends (converted) the active runs of the customer's journeys whose exit_on names one of the track
 * events this fact gives (Order Completed, Order Picked Up …); `same_order` runs only for their order.
 */
const exitOnFact = async (tx: Tx, deps: Pick<Deps, 'clock'>, e: OutboxEvent): Promise<void> => {
  const facts = await factsOf(tx, e);
  if (facts.length === 0) return;
  const customerId = await customerOf(tx, e);
  if (!customerId) return;
  for (const f of facts) {
    await tx.query(
      `UPDATE journey_enrollments en SET state = 'converted', exit_reason = 'converted: ' || $2,
         wake_at = NULL, lease_until = NULL, updated_at = $4
       FROM journey_versions v
       WHERE en.customer_id = $1 AND en.state = 'active' AND v.journey_id = en.journey_id
         AND v.version = en.version AND v.exit_on->>'event' = $2 AND en.created_at <= $5
         AND (coalesce((v.exit_on->>'same_order')::boolean, false) = false OR en.context->>'order_id' = $3)`,
      [customerId, f.event, str(f.properties.order_id), deps.clock.now(), e.occurredAt],
    );
  }
};

export const journeySubscribers = (deps: Deps): Subscriber[] => [
  {
    name: 'journeys.enter',
    types: [...FACT_TYPES, 'segment.entered'],
    handle: (tx, e) => enterOnFact(tx, deps, e),
  },
  {
    name: 'journeys.convert',
    types: ['order.*', 'pos.sale_completed', 'pickup.ready'],
    handle: (tx, e) => exitOnFact(tx, deps, e),
  },
];
