/**
 * Conversions (docs/campaigns.md, "Tracking"): an order that completes (the same outbox facts as the
 * event stream's `Order Completed`: order.created already confirmed, order.confirmed,
 * pos.sale_completed) converts every send of that customer within the attribution window (7 days by
 * default, setting `campaigns.attribution_days`) that was sent, or held out, and is not converted
 * yet: each gets converted_at and the order id, a `Campaign Converted` touch, and its campaign's
 * rollups `converted` and `revenue_minor` (the order total in minor units; the currency is in the
 * touch). Holdout rows count as `holdout_converted` and `holdout_revenue_minor` (lift). The
 * subscriber runs in the dispatcher's transaction, and the touch's messageId is derived from the
 * outbox event, so a redelivery converts nothing twice.
 *
 * Delivery statuses: the messaging module writes `message.delivery` to the outbox when a provider's
 * callback changes a send (it cannot import this flow); each becomes a touch here.
 */
import { getCustomer, survivorOf } from '../../modules/customers/index.ts';
import { getSend } from '../../modules/messaging/index.ts';
import type { Medium } from '../../modules/messaging/types.ts';
import { getOrder } from '../../modules/orders/index.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { OutboxEvent, Subscriber } from '../../platform/outbox/events.ts';
import { getSetting } from '../../platform/settings.ts';
import { recordTouches, type Touch } from './touches.ts';

export const ATTRIBUTION_SETTING = 'campaigns.attribution_days';
export const DEFAULT_ATTRIBUTION_DAYS = 7;
const DAY = 86_400_000;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** The attribution window in days (setting `campaigns.attribution_days`, 1–90; default 7). */
export const attributionDays = async (q: Tx): Promise<number> => {
  const v = await getSetting<unknown>(q, ATTRIBUTION_SETTING);
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 90 ? v : DEFAULT_ATTRIBUTION_DAYS;
};

interface Candidate {
  id: string;
  campaign_id: string | null;
  journey_id: string | null;
  medium: Medium;
  variant: string | null;
  status: string;
}

/** Converts the customer's recent sends for one completed order (idempotent per outbox event). */
export const recordConversion = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  e: OutboxEvent,
): Promise<number> => {
  const orderId = str(e.data.order_id);
  const order = orderId ? await getOrder(tx, orderId) : undefined;
  if (!order?.customer_id) return 0;
  const found = await getCustomer(tx, order.customer_id);
  if (!found) return 0;
  const customer = await survivorOf(tx, found);
  if (customer.status !== 'active') return 0;
  const at = e.occurredAt;
  const since = new Date(at.getTime() - (await attributionDays(tx)) * DAY);
  // sends of the merged profiles count for their survivor
  const sends = await tx.query<Candidate>(
    `SELECT s.id, s.campaign_id, s.journey_id, s.medium, s.variant, s.status FROM message_sends s
     WHERE s.customer_id IN (SELECT id FROM customers WHERE id = $1 OR merged_into = $1)
       AND s.converted_at IS NULL AND s.marketing
       AND ((s.status = 'sent' AND s.sent_at > $2 AND s.sent_at <= $3)
         OR (s.status = 'holdout' AND s.due_at > $2 AND s.due_at <= $3))
     ORDER BY s.id`,
    [customer.id, since, at],
  );
  const touches: Touch[] = sends.rows.map((s) => ({
    kind: 'converted',
    medium: s.medium,
    at,
    messageId: `touch:${s.id}:converted:${e.id}`,
    sendId: s.id,
    campaignId: s.campaign_id,
    journeyId: s.journey_id,
    customerId: customer.id,
    variant: s.variant,
    holdout: s.status === 'holdout',
    channelId: order.channel_id,
    locationId: order.selling_location_id ?? order.pickup_location_id,
    properties: {
      order_id: order.id,
      order_number: order.number,
      revenue_minor: order.total,
      currency: order.currency,
    },
  }));
  return recordTouches(tx, deps, touches);
};

const DELIVERY_KINDS = ['delivered', 'bounced', 'complained', 'opened', 'clicked'] as const;
type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/**
 * A delivery-status callback the messaging module applied (outbox `message.delivery`: send_id,
 * status, first = the ledger changed, at) as a touch: `Email Delivered`, `Email Bounced`, `Email
 * Marked as Spam`, `SMS Delivered`, `Push Notification Received` … and, when first, its rollup.
 */
export const recordDeliveryTouch = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  e: OutboxEvent,
): Promise<number> => {
  const sendId = str(e.data.send_id);
  const status = str(e.data.status);
  if (!sendId || !status || !(DELIVERY_KINDS as readonly string[]).includes(status)) return 0;
  const s = await getSend(tx, sendId);
  if (!s) return 0;
  const at = str(e.data.at);
  return recordTouches(tx, deps, [
    {
      kind: status as DeliveryKind,
      medium: s.medium,
      at: at && !Number.isNaN(Date.parse(at)) ? new Date(at) : e.occurredAt,
      messageId: `touch:${s.id}:${status}:${e.id}`,
      sendId: s.id,
      campaignId: s.campaign_id,
      journeyId: s.journey_id,
      customerId: s.customer_id,
      variant: s.variant,
      holdout: s.status === 'holdout',
      first: e.data.first === true,
      properties: { provider: s.provider },
    },
  ]);
};

export const trackingSubscribers = (deps: Deps): Subscriber[] => [
  {
    name: 'campaigns:delivery-touches',
    types: ['message.delivery'],
    handle: async (tx, e) => {
      await recordDeliveryTouch(tx, deps, e);
    },
  },
  {
    name: 'campaigns:conversions',
    types: ['order.created', 'order.confirmed', 'pos.sale_completed'],
    accepts: (e) => e.type !== 'order.created' || e.data.status === 'confirmed',
    handle: async (tx, e) => {
      await recordConversion(tx, deps, e);
    },
  },
];
