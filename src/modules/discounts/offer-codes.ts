/**
 * Offer codes (issue 12): the personal, shared or per-print-batch codes of a campaign's offer, each
 * standing for one discount (offer_codes). They are typed where a discount code is typed, online and
 * at the POS: evaluateCode falls back to them when no discount has the code, and redeemDiscount takes
 * one use of the code with a conditional UPDATE. The rows are written by the campaigns flow
 * (src/flows/campaigns/offers.ts); this module only reads and counts them.
 */
import type { Queryable, Tx } from '../../platform/db.ts';

/** What a shopper typed, as stored: upper case, without the spaces and dashes of the printed form. */
export const normalizeOfferCode = (typed: string): string => typed.toUpperCase().replace(/[\s-]+/g, '');

export interface OfferCodeRow {
  code: string;
  campaign_id: string;
  discount_id: string;
  customer_id: string | null;
  send_id: string | null;
  print_run_id: string | null;
  max_redemptions: number;
  redemptions: number;
  expires_at: Date | null;
  campaign_status: string;
  customer_erased: boolean;
}

/** The offer code as typed (normalised), with its campaign's status and whether its owner was erased. */
export const findOfferCode = async (q: Queryable, typed: string): Promise<OfferCodeRow | undefined> =>
  (
    await q.query<OfferCodeRow>(
      `SELECT o.code, o.campaign_id, o.discount_id, o.customer_id, o.send_id, o.print_run_id,
         o.max_redemptions, o.redemptions, o.expires_at, c.status AS campaign_status,
         (cu.erased_at IS NOT NULL OR cu.status = 'erased') AS customer_erased
       FROM offer_codes o JOIN campaigns c ON c.id = o.campaign_id
       LEFT JOIN customers cu ON cu.id = o.customer_id
       WHERE o.code = $1`,
      [normalizeOfferCode(typed)],
    )
  ).rows[0];

/**
 * Takes one use of an offer code if it has one left, has not expired and its campaign is not
 * cancelled: one conditional UPDATE, so concurrent checkouts never redeem it more than allowed
 * (the second waits for the first's row lock, then sees the new count). Undefined when refused.
 */
export const takeOfferUse = async (
  tx: Tx,
  code: string,
  at: Date,
): Promise<{ campaign_id: string; customer_id: string | null } | undefined> =>
  (
    await tx.query<{ campaign_id: string; customer_id: string | null }>(
      `UPDATE offer_codes o SET redemptions = redemptions + 1
       WHERE o.code = $1 AND o.redemptions < o.max_redemptions AND (o.expires_at IS NULL OR o.expires_at > $2)
         AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = o.campaign_id AND c.status = 'cancelled')
       RETURNING o.campaign_id, o.customer_id`,
      [normalizeOfferCode(code), at],
    )
  ).rows[0];

export interface OfferRedemption {
  id: string;
  code: string;
  campaign_id: string;
  /** who redeemed: the order's customer, else the code's own */
  customer_id: string | null;
  /** the recipient the code was made for (null for shared and batch codes) */
  code_customer_id: string | null;
  order_id: string;
  channel_id: string | null;
  location_id: string | null;
}

export const insertOfferRedemption = async (tx: Tx, r: OfferRedemption, at: Date): Promise<void> => {
  await tx.query(
    `INSERT INTO offer_redemptions (id, code, campaign_id, customer_id, order_id, channel_id, location_id, redeemed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [r.id, r.code, r.campaign_id, r.customer_id, r.order_id, r.channel_id, r.location_id, at],
  );
};

/** Gives back the offer-code uses of an order (its redemptions are deleted); returns them. */
export const releaseOfferUses = async (tx: Tx, orderId: string): Promise<Record<string, unknown>[]> => {
  const { rows } = await tx.query<{ code: string }>(
    `DELETE FROM offer_redemptions r USING offer_codes o WHERE r.order_id = $1 AND o.code = r.code
     RETURNING r.id, r.code, r.campaign_id, r.customer_id, o.customer_id AS code_customer_id, r.order_id,
       r.channel_id, r.location_id, o.print_run_id`,
    [orderId],
  );
  if (rows.length > 0) {
    await tx.query(
      `UPDATE offer_codes SET redemptions = redemptions - 1
       WHERE code = ANY($1::text[]) AND redemptions > 0`,
      [rows.map((r) => r.code)],
    );
  }
  return rows;
};
