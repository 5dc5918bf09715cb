/**
 * Every touch of a campaign or journey as an event of the event store (docs/campaigns.md, "Tracking"):
 * a `track` event of the built-in `src_plaza` source named after Segment's specs (Email Events,
 * Mobile/Push, E-commerce promotions and coupons), with campaign_id, journey_id, send_id, medium,
 * variant and holdout in its properties, so the measurement issue can attribute across media.
 *
 * Besides the event, engagement kinds (opened, clicked, converted, unsubscribed) are noted on the
 * send (ledger: opened_at … set once) and counted in the campaign's rollups: the unique metric
 * (`opened`, `clicked`, `converted`, `unsubscribed`) only the first time for that send, the totals
 * (`opened_total`, `clicked_total`) every time. A conversion of a holdout row counts as
 * `holdout_converted` / `holdout_revenue_minor` instead (lift). Delivery statuses (delivered,
 * bounced, complained) are counted here only when the caller says the ledger changed (`first`:
 * true); sends, views, prints and redemptions are counted by whoever changes the ledger for them
 * (sender, placements, print runs, offers): here they are events only.
 */

import type { EventInput } from '../../modules/events/index.ts';
import { insertEvents, PLAZA_SOURCE_ID } from '../../modules/events/index.ts';
import { noteEngagement } from '../../modules/messaging/index.ts';
import type { Medium } from '../../modules/messaging/types.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { bumpStats, type StatBump } from './stats.ts';

export type TouchKind =
  | 'sent'
  | 'delivered'
  | 'opened'
  | 'clicked'
  | 'bounced'
  | 'complained'
  | 'unsubscribed'
  | 'converted'
  | 'viewed'
  | 'shown'
  | 'redeemed'
  | 'printed';

export interface Touch {
  kind: TouchKind;
  medium: Medium;
  at: Date;
  /** unique per touch (a replay is stored once): e.g. `touch:<send id>:opened:<n>` */
  messageId: string;
  sendId?: string | null;
  campaignId?: string | null;
  journeyId?: string | null;
  customerId?: string | null;
  anonymousId?: string | null;
  variant?: string | null;
  holdout?: boolean;
  channelId?: string | null;
  locationId?: string | null;
  properties?: Record<string, unknown>;
  /**
   * Set when the caller already changed the ledger for this touch (recordDeliveryStatus noted the
   * open, or changed the delivery status): recordTouches then does not note it again, and counts the
   * unique metric (opened, clicked …, and delivered, bounced, complained) only when `first` is true.
   */
  first?: boolean;
}

type ByMedium = Partial<Record<Medium, string>> & { default: string };

/**
 * The event name of each touch kind per medium (the table in docs/campaigns.md, "Tracking").
 * Segment's names where a spec has one; Plaza's own (Message Sent, Message Link Clicked …) elsewhere.
 */
export const TOUCH_EVENTS: Record<TouchKind, ByMedium> = {
  sent: {
    default: 'Message Sent',
    banner: 'Promotion Viewed',
    in_app: 'Promotion Viewed',
    print: 'Brochure Printed',
    pos: 'Offer Shown',
  },
  delivered: {
    default: 'Message Delivered',
    email: 'Email Delivered',
    sms: 'SMS Delivered',
    push: 'Push Notification Received',
    web_push: 'Push Notification Received',
  },
  opened: {
    default: 'Message Opened',
    email: 'Email Opened',
    push: 'Push Notification Tapped',
    web_push: 'Push Notification Tapped',
    banner: 'Promotion Viewed',
    in_app: 'Promotion Viewed',
  },
  clicked: {
    default: 'Message Link Clicked',
    email: 'Email Link Clicked',
    push: 'Push Notification Tapped',
    web_push: 'Push Notification Tapped',
    banner: 'Promotion Clicked',
    in_app: 'Promotion Clicked',
  },
  bounced: {
    default: 'Message Bounced',
    email: 'Email Bounced',
    push: 'Push Notification Bounced',
    web_push: 'Push Notification Bounced',
  },
  complained: { default: 'Message Marked as Spam', email: 'Email Marked as Spam' },
  unsubscribed: { default: 'Unsubscribed' },
  converted: { default: 'Campaign Converted' },
  viewed: { default: 'Promotion Viewed' },
  shown: { default: 'Offer Shown', banner: 'Promotion Viewed', in_app: 'Promotion Viewed' },
  redeemed: { default: 'Coupon Applied' },
  printed: { default: 'Brochure Printed' },
};

/** The event name of a touch (TOUCH_EVENTS). */
export const touchEventName = (kind: TouchKind, medium: Medium): string =>
  TOUCH_EVENTS[kind][medium] ?? TOUCH_EVENTS[kind].default;

const ENGAGEMENTS = ['opened', 'clicked', 'converted', 'unsubscribed'] as const;
type Engagement = (typeof ENGAGEMENTS)[number];
const isEngagement = (k: TouchKind): k is Engagement => (ENGAGEMENTS as readonly string[]).includes(k);

interface SendInfo {
  id: string;
  campaign_id: string | null;
  journey_id: string | null;
  customer_id: string;
  variant: string | null;
  status: string;
  opened_at: Date | null;
}

interface Resolved extends Touch {
  customer: string | null;
  holdoutFlag: boolean;
}

/** The sends the touches name, in one query. */
const sendsOf = async (q: Queryable, ids: readonly string[]): Promise<Map<string, SendInfo>> => {
  if (ids.length === 0) return new Map();
  const r = await q.query<SendInfo>(
    `SELECT id, campaign_id, journey_id, customer_id, variant, status, opened_at FROM message_sends WHERE id = ANY($1::text[])`,
    [[...new Set(ids)]],
  );
  return new Map(r.rows.map((s) => [s.id, s]));
};

/** Each customer's live profile (a merged one's survivor); erased or unknown: absent. */
const liveCustomers = async (q: Queryable, ids: readonly string[]): Promise<Map<string, string>> => {
  if (ids.length === 0) return new Map();
  const r = await q.query<{ id: string; live: string }>(
    `SELECT c.id, s.id AS live FROM customers c JOIN customers s ON s.id = COALESCE(c.merged_into, c.id)
     WHERE c.id = ANY($1::text[]) AND s.status = 'active'`,
    [[...new Set(ids)]],
  );
  return new Map(r.rows.map((x) => [x.id, x.live]));
};

/** Touches whose messageId is already stored (a replay): they are skipped entirely. */
const storedIds = async (q: Queryable, ids: readonly string[]): Promise<Set<string>> => {
  const r = await q.query<{ message_id: string }>(
    `SELECT message_id FROM event_message_ids WHERE source_id = $1 AND message_id = ANY($2::text[])`,
    [PLAZA_SOURCE_ID, ids],
  );
  return new Set(r.rows.map((x) => x.message_id));
};

const retentionOfPlaza = async (q: Queryable): Promise<number> =>
  (
    await q.query<{ retention_months: number }>('SELECT retention_months FROM event_sources WHERE id = $1', [
      PLAZA_SOURCE_ID,
    ])
  ).rows[0]?.retention_months ?? 0;

const numberProp = (p: Record<string, unknown> | undefined, key: string): number => {
  const v = p?.[key];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : 0;
};

const DELIVERIES: readonly TouchKind[] = ['delivered', 'bounced', 'complained'];

/** The rollups of one touch (engagements, and deliveries the caller counted as first; see the file's comment). */
const bumpsOf = (t: Resolved, first: boolean): StatBump[] => {
  if (!t.campaignId) return [];
  const base = { campaignId: t.campaignId, variant: t.variant ?? null, medium: t.medium };
  if (DELIVERIES.includes(t.kind)) return first && t.first === true ? [{ ...base, metric: t.kind }] : [];
  if (!isEngagement(t.kind)) return [];
  const out: StatBump[] = [];
  if (t.kind === 'opened' || t.kind === 'clicked') out.push({ ...base, metric: `${t.kind}_total` });
  if (!first) return out;
  if (t.kind === 'converted') {
    const prefix = t.holdoutFlag ? 'holdout_' : '';
    out.push({ ...base, metric: `${prefix}converted` });
    const revenue = numberProp(t.properties, 'revenue_minor');
    if (revenue !== 0) {
      out.push({ ...base, metric: `${prefix}revenue_minor`, by: revenue });
      // the sum of squares gives the variance of revenue per recipient (lift's confidence interval)
      out.push({ ...base, metric: `${prefix}revenue_minor_sq`, by: revenue * revenue });
    }
  } else {
    out.push({ ...base, metric: t.kind });
  }
  return out;
};

const eventOf = (t: Resolved, retentionMonths: number, receivedAt: Date): EventInput => ({
  sourceId: PLAZA_SOURCE_ID,
  channelId: t.channelId ?? null,
  locationId: t.locationId ?? null,
  origin: 'plaza',
  messageId: t.messageId,
  type: 'track',
  event: touchEventName(t.kind, t.medium),
  userId: t.customer,
  anonymousId: t.anonymousId ?? null,
  customerId: t.customer,
  properties: {
    ...(t.properties ?? {}),
    campaign_id: t.campaignId ?? null,
    journey_id: t.journeyId ?? null,
    send_id: t.sendId ?? null,
    medium: t.medium,
    variant: t.variant ?? null,
    holdout: t.holdoutFlag,
  },
  context: { library: { name: 'plaza' }, touch: t.kind },
  timestamp: t.at,
  receivedAt,
  retentionMonths,
});

/**
 * Records touches: a track event each in the event store (source src_plaza, Segment's names such as
 * `Email Opened`, with campaign_id, journey_id, medium, variant and holdout in its properties), the
 * send's engagement timestamps, and the campaign's rollups (unique opens and clicks counted once).
 * A touch whose messageId was already stored is a replay and changes nothing. Touches of an erased
 * customer are not stored. Run it inside the caller's transaction to make it all-or-nothing.
 * Returns how many events were new.
 */
export const recordTouches = async (
  q: Queryable,
  deps: Pick<Deps, 'clock'>,
  touches: readonly Touch[],
): Promise<number> => {
  if (touches.length === 0) return 0;
  const seen = await storedIds(
    q,
    touches.map((t) => t.messageId),
  );
  // the first of each messageId, and none already stored
  const fresh: Touch[] = [];
  for (const t of touches) {
    if (seen.has(t.messageId)) continue;
    seen.add(t.messageId);
    fresh.push(t);
  }
  if (fresh.length === 0) return 0;
  const sends = await sendsOf(
    q,
    fresh.flatMap((t) => (t.sendId ? [t.sendId] : [])),
  );
  const withSend = fresh.map((t) => {
    const s = t.sendId ? sends.get(t.sendId) : undefined;
    return {
      ...t,
      campaignId: t.campaignId ?? s?.campaign_id ?? null,
      journeyId: t.journeyId ?? s?.journey_id ?? null,
      variant: t.variant ?? s?.variant ?? null,
      customerId: t.customerId ?? s?.customer_id ?? null,
      holdoutFlag: t.holdout ?? s?.status === 'holdout',
    };
  });
  const live = await liveCustomers(
    q,
    withSend.flatMap((t) => (t.customerId ? [t.customerId] : [])),
  );
  // a touch of a customer who was erased since is not stored (no event, no engagement)
  const resolved: Resolved[] = withSend
    .filter((t) => !t.customerId || live.has(t.customerId))
    .map((t) => ({ ...t, customer: t.customerId ? (live.get(t.customerId) ?? null) : null }));
  if (resolved.length === 0) return 0;
  const retention = await retentionOfPlaza(q);
  const now = deps.clock.now();
  const { inserted } = await insertEvents(
    q,
    resolved.map((t) => eventOf(t, retention, now)),
  );
  // a single touch raced by an identical one in another transaction: that one counts it
  if (inserted === 0) return 0;
  const bumps: StatBump[] = [];
  for (const t of resolved) {
    let first = t.first === true;
    if (t.first === undefined && t.sendId && sends.has(t.sendId) && isEngagement(t.kind)) {
      const orderId = typeof t.properties?.order_id === 'string' ? t.properties.order_id : undefined;
      first = (await noteEngagement(q, t.sendId, t.kind, t.at, orderId)).first;
    }
    bumps.push(...bumpsOf(t, first));
    // the ledger takes a first click as an open too (images blocked): so do the unique opens
    const s = t.sendId ? sends.get(t.sendId) : undefined;
    if (first && t.kind === 'clicked' && t.campaignId && s && s.opened_at === null) {
      bumps.push({
        campaignId: t.campaignId,
        variant: t.variant ?? null,
        medium: t.medium,
        metric: 'opened',
      });
      s.opened_at = t.at;
    }
  }
  if (bumps.length > 0) await bumpStats(q, bumps);
  return inserted;
};
