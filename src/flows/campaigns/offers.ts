/**
 * Offer codes of a campaign (docs/campaigns.md, "Offer codes"): one unique, unguessable code per
 * recipient (10 characters of an alphabet without look-alikes, from the crypto RNG: 31^10 ≈ 8·10^14
 * codes), or one shared code per campaign, or one per print batch. A code stands for the campaign's
 * `offer.discount_id`; the discounts module accepts it wherever a discount code is typed (checkout,
 * POS). Each redemption is written by the discounts module as `offer.redeemed` in the order's
 * transaction; the subscriber here makes it a touch of the campaign (event `Coupon Applied`) and a
 * `redeemed` rollup, exactly once per event.
 */
import { MEDIA, type Medium } from '../../modules/messaging/types.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { randomCode } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import type { OutboxEvent, Subscriber } from '../../platform/outbox/events.ts';
import { type CampaignFacts, campaignFacts } from './offers-ledger.ts';
import { bumpStats } from './stats.ts';
import { recordTouches } from './touches.ts';

export const OFFER_CODE_LENGTH = 10;

/** A new code; printed as ABCDE-FGHJK, typed with or without the dash, in any case. */
export const newOfferCode = (): string => randomCode(OFFER_CODE_LENGTH);

/** The printed form of a code: two groups of five. */
export const displayCode = (code: string): string =>
  code.length === OFFER_CODE_LENGTH ? `${code.slice(0, 5)}-${code.slice(5)}` : code;

/** No shared code can run out in practice; the discount's own usage_limit still applies. */
export const SHARED_MAX = 2_000_000_000;

const expiryOf = (c: CampaignFacts): Date | null => {
  const at = c.offer?.expires_at ? new Date(c.offer.expires_at) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
};

const insertCodes = async (
  q: Queryable,
  c: CampaignFacts,
  discountId: string,
  rows: { customerId: string | null; printRunId: string | null; max: number }[],
  at: Date,
): Promise<void> => {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO offer_codes (code, campaign_id, discount_id, customer_id, print_run_id, max_redemptions,
       redemptions, created_at, expires_at)
     SELECT code, $1, $2, customer_id, print_run_id, max, 0, $3, $4
     FROM unnest($5::text[], $6::text[], $7::text[], $8::int[]) AS r (code, customer_id, print_run_id, max)
     ON CONFLICT DO NOTHING`,
    [
      c.id,
      discountId,
      at,
      expiryOf(c),
      rows.map(() => newOfferCode()),
      rows.map((r) => r.customerId),
      rows.map((r) => r.printRunId),
      rows.map((r) => r.max),
    ],
  );
};

const sharedCode = async (q: Queryable, campaignId: string): Promise<string | undefined> =>
  (
    await q.query<{ code: string }>(
      `SELECT code FROM offer_codes WHERE campaign_id = $1 AND customer_id IS NULL AND print_run_id IS NULL
       ORDER BY created_at, code LIMIT 1`,
      [campaignId],
    )
  ).rows[0]?.code;

/**
 * The offer code of each recipient of a campaign with an offer, created once (INSERT … ON CONFLICT
 * DO NOTHING on the campaign and customer, then read back: a concurrent caller gets the same codes).
 * A `shared` offer gives every recipient the campaign's one shared code. Empty without an offer.
 */
export const offerCodesFor = async (
  q: Queryable,
  deps: Pick<Deps, 'clock'>,
  campaignId: string,
  customerIds: readonly string[],
): Promise<Map<string, string>> => {
  const c = await campaignFacts(q, campaignId);
  const discountId = c?.offer?.discount_id;
  if (!c || !discountId || customerIds.length === 0) return new Map();
  const ids = [...new Set(customerIds)];
  if (c.offer?.codes === 'shared') {
    let code = await sharedCode(q, c.id);
    if (!code) {
      await insertCodes(
        q,
        c,
        discountId,
        [{ customerId: null, printRunId: null, max: SHARED_MAX }],
        deps.clock.now(),
      );
      code = await sharedCode(q, c.id);
    }
    return new Map(code ? ids.map((id) => [id, code]) : []);
  }
  const read = async () =>
    new Map(
      (
        await q.query<{ customer_id: string; code: string }>(
          'SELECT customer_id, code FROM offer_codes WHERE campaign_id = $1 AND customer_id = ANY($2::text[])',
          [c.id, ids],
        )
      ).rows.map((r) => [r.customer_id, r.code]),
    );
  let codes = await read();
  // a missing one again after the insert would be a code collision (≈ never): draw again
  for (let attempt = 0; attempt < 3 && codes.size < ids.length; attempt++) {
    const missing = ids.filter((id) => !codes.has(id));
    await insertCodes(
      q,
      c,
      discountId,
      missing.map((customerId) => ({ customerId, printRunId: null, max: 1 })),
      deps.clock.now(),
    );
    codes = await read();
  }
  return codes;
};

/** One code per print batch (no customer), each redeemable as often as its batch has coupons. */
export const batchCodesFor = async (
  q: Queryable,
  deps: Pick<Deps, 'clock'>,
  c: CampaignFacts,
  printRunId: string,
  batchSizes: readonly number[],
): Promise<string[]> => {
  const discountId = c.offer?.discount_id;
  if (!discountId) return [];
  await insertCodes(
    q,
    c,
    discountId,
    batchSizes.map((max) => ({ customerId: null, printRunId, max })),
    deps.clock.now(),
  );
  return (
    await q.query<{ code: string }>(
      'SELECT code FROM offer_codes WHERE print_run_id = $1 AND customer_id IS NULL ORDER BY code',
      [printRunId],
    )
  ).rows.map((r) => r.code);
};

/** What the offer takes off, in words ({{ offer.description }}): the offer's own, else from its discount. */
export const offerDescription = async (q: Queryable, c: CampaignFacts): Promise<string> => {
  const own = (c.offer as { description?: unknown } | null)?.description;
  if (typeof own === 'string' && own) return own;
  if (!c.offer?.discount_id) return '';
  const d = (
    await q.query<{ type: string; value: number; currency: string | null }>(
      'SELECT type, value, currency FROM discounts WHERE id = $1',
      [c.offer.discount_id],
    )
  ).rows[0];
  if (!d) return '';
  return d.type === 'percent'
    ? `${d.value} % off`
    : `${(d.value / 100).toFixed(2)} ${d.currency ?? ''} off`.trim();
};

/** The `offer` of each recipient's template context ({ code as printed, description }); empty without an offer. */
export const offerContexts = async (
  q: Queryable,
  deps: Pick<Deps, 'clock'>,
  c: CampaignFacts,
  customerIds: readonly string[],
): Promise<Map<string, { code: string; description: string }>> => {
  if (!c.offer?.discount_id) return new Map();
  const [codes, description] = await Promise.all([
    offerCodesFor(q, deps, c.id, customerIds),
    offerDescription(q, c),
  ]);
  return new Map([...codes].map(([id, code]) => [id, { code: displayCode(code), description }]));
};

interface Redeemed {
  id: string;
  code: string;
  campaign_id: string;
  customer_id: string | null;
  code_customer_id?: string | null;
  order_id: string;
  channel_id?: string | null;
  location_id?: string | null;
  print_run_id?: string | null;
  amount?: number;
}

const isMedium = (m: unknown): m is Medium =>
  typeof m === 'string' && (MEDIA as readonly string[]).includes(m);

/**
 * The medium a redemption is a touch of: a printed code is `print`; a code redeemed at the counter of
 * a campaign with `pos` is `pos`; else the medium of the recipient's most recent sent row of the
 * campaign (e-mail, SMS …), else the campaign's first medium.
 */
const touchOf = async (
  tx: Tx,
  r: Redeemed,
): Promise<{ medium: Medium; sendId: string | null; variant: string | null; holdout: boolean }> => {
  const c = await campaignFacts(tx, r.campaign_id);
  const who = r.code_customer_id ?? r.customer_id;
  const row = who
    ? (
        await tx.query<{ id: string; medium: string; variant: string | null; status: string }>(
          `SELECT id, medium, variant, status FROM message_sends
           WHERE campaign_id = $1 AND customer_id = $2 AND status IN ('sent', 'holdout')
           ORDER BY (medium = $3) DESC, sent_at DESC NULLS LAST, id LIMIT 1`,
          [r.campaign_id, who, r.print_run_id ? 'print' : r.location_id ? 'pos' : 'email'],
        )
      ).rows[0]
    : undefined;
  const pick: Medium | undefined = r.print_run_id
    ? 'print'
    : r.location_id && c?.media.includes('pos')
      ? 'pos'
      : isMedium(row?.medium)
        ? row.medium
        : c?.media[0];
  return {
    medium: pick ?? 'email',
    sendId: row && row.medium === pick ? row.id : null,
    variant: row?.variant ?? null,
    holdout: row?.status === 'holdout',
  };
};

const handleRedemption = async (tx: Tx, deps: Pick<Deps, 'clock'>, e: OutboxEvent, sign: 1 | -1) => {
  const r = e.data as unknown as Redeemed;
  const t = await touchOf(tx, r);
  if (sign === 1) {
    await recordTouches(tx, deps, [
      {
        kind: 'redeemed',
        medium: t.medium,
        at: e.occurredAt,
        messageId: `touch:offer:${r.id}:redeemed`,
        sendId: t.sendId,
        campaignId: r.campaign_id,
        customerId: r.customer_id,
        variant: t.variant,
        holdout: t.holdout,
        channelId: r.channel_id ?? null,
        locationId: r.location_id ?? null,
        properties: {
          coupon: r.code,
          order_id: r.order_id,
          ...(typeof r.amount === 'number' ? { discount: r.amount } : {}),
        },
      },
    ]);
  }
  await bumpStats(tx, [
    { campaignId: r.campaign_id, variant: t.variant, medium: t.medium, metric: 'redeemed', by: sign },
  ]);
};

/** offer.redeemed → a `redeemed` touch and rollup; offer.released → the rollup goes down again. */
export const offerSubscribers = (deps: Pick<Deps, 'clock'>): Subscriber[] => [
  {
    name: 'campaigns.offer-redeemed',
    types: ['offer.redeemed'],
    handle: (tx, e) => handleRedemption(tx, deps, e, 1),
  },
  {
    name: 'campaigns.offer-released',
    types: ['offer.released'],
    handle: (tx, e) => handleRedemption(tx, deps, e, -1),
  },
];
