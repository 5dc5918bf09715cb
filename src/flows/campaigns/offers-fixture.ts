/**
 * Test fixtures of the offer, placement, print and counter tests: campaigns and their ledger rows
 * written directly (as the planner would), customers with marketing consent on the media's channels.
 */
import type { TestApp } from '../../../test/support/app.ts';
import { type ContactChannel, recordConsent } from '../../modules/consent/index.ts';
import type { Medium } from '../../modules/messaging/types.ts';
import { newId } from '../../platform/ids.ts';
import { OutboxDispatcher } from '../../platform/outbox/dispatcher.ts';
import { offerSubscribers } from './offers.ts';

/** Marketing consent on these channels (default: in_app, in_store, mail). */
export const grantConsent = async (
  t: TestApp,
  customerId: string,
  channels: ContactChannel[] = ['in_app', 'in_store', 'mail'],
): Promise<void> =>
  t.deps.db.tx(async (tx) => {
    for (const channel of channels)
      await recordConsent(tx, t.deps, {
        customerId,
        purpose: 'marketing',
        channel,
        status: 'granted',
        source: 'import',
        recordedBy: 'test',
      });
  });

/** A shopper account with a login token (and the consents). */
export const newShopper = async (t: TestApp, key: string): Promise<{ id: string; token: string }> => {
  const email = `${newId('shp').toLowerCase()}@example.com`;
  const r = await t.call<{ id: string }>('POST', '/store/customers', {
    key,
    body: { email, password: 'long password 1', first_name: 'Rosa', last_name: 'Parks' },
  });
  if (r.status !== 201) throw new Error(`register: ${r.status} ${r.text}`);
  const login = await t.call<{ token: string }>('POST', '/store/auth/token', {
    key,
    body: { email, password: 'long password 1' },
  });
  await grantConsent(t, r.body.id);
  return { id: r.body.id, token: login.body.token };
};

export const newCustomer = async (
  t: TestApp,
  opts: { first?: string; last?: string; channels?: ContactChannel[]; address?: Record<string, string> } = {},
): Promise<string> => {
  const id = newId('cus');
  const now = t.clock.now();
  await t.deps.db.query(
    `INSERT INTO customers (id, email, first_name, last_name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
    [id, `${id.toLowerCase()}@example.com`, opts.first ?? 'Ada', opts.last ?? 'Lovelace', now],
  );
  await grantConsent(t, id, opts.channels);
  if (opts.address) {
    const a = opts.address;
    await t.deps.db.query(
      `INSERT INTO customer_addresses (id, customer_id, name, line1, line2, city, postal_code, country,
         is_default_shipping, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, $9, $9)`,
      [
        newId('adr'),
        id,
        a.name ?? null,
        a.line1 ?? '1 Main St',
        a.line2 ?? null,
        a.city ?? 'Portland',
        a.postal_code ?? '97205',
        a.country ?? 'US',
        now,
      ],
    );
  }
  return id;
};

export const newCampaign = async (
  t: TestApp,
  c: {
    media: Medium[];
    variants: { key: string; split?: number; content: Record<string, Record<string, string>> }[];
    offer?: { discount_id: string; codes: 'per_recipient' | 'shared' } | null;
    status?: string;
    segmentId?: string | null;
    productIds?: string[];
    name?: string;
  },
): Promise<string> => {
  const id = newId('cmp');
  const now = t.clock.now();
  let segmentId = c.segmentId ?? null;
  if (segmentId === 'new') {
    segmentId = newId('seg');
    await t.deps.db.query(
      `INSERT INTO segments (id, name, rules, refresh_minutes, created_at, updated_at)
       VALUES ($1, $1, '{"trait":{"key":"x","op":"eq","value":1}}', 60, $2, $2)`,
      [segmentId, now],
    );
  }
  await t.deps.db.query(
    `INSERT INTO campaigns (id, name, status, kind, segment_id, media, variants, offer, product_ids, created_at,
       updated_at, started_at)
     VALUES ($1, $2, $3, 'marketing', $4, $5, $6, $7, $8, $9, $9, $9)`,
    [
      id,
      c.name ?? `Campaign ${id}`,
      c.status ?? 'sending',
      segmentId,
      c.media,
      JSON.stringify(c.variants),
      c.offer ? JSON.stringify(c.offer) : null,
      c.productIds ?? [],
      now,
    ],
  );
  return id;
};

/** A ledger row as the planner writes it. */
export const newSend = async (
  t: TestApp,
  s: { campaignId: string; customerId: string; medium: Medium; status?: string; variant?: string | null },
): Promise<string> => {
  const id = newId('msg');
  const now = t.clock.now();
  await t.deps.db.query(
    `INSERT INTO message_sends (id, source_kind, source_key, campaign_id, customer_id, medium, marketing, variant,
       status, due_at, created_at, updated_at)
     VALUES ($1, 'campaign', $2, $2, $3, $4, true, $5, $6, $7, $7, $7)`,
    [id, s.campaignId, s.customerId, s.medium, s.variant ?? 'a', s.status ?? 'planned', now],
  );
  return id;
};

export const sendStatus = async (
  t: TestApp,
  id: string,
): Promise<{ status: string; skip_reason: string | null }> =>
  (
    await t.deps.db.query<{ status: string; skip_reason: string | null }>(
      'SELECT status, skip_reason FROM message_sends WHERE id = $1',
      [id],
    )
  ).rows[0] as { status: string; skip_reason: string | null };

/** A rollup of a campaign (summed over variants). */
export const stat = async (t: TestApp, campaignId: string, medium: string, metric: string): Promise<number> =>
  Number(
    (
      await t.deps.db.query<{ n: string }>(
        `SELECT coalesce(sum(n), 0)::text AS n FROM campaign_stats WHERE campaign_id = $1 AND medium = $2 AND metric = $3`,
        [campaignId, medium, metric],
      )
    ).rows[0]?.n ?? 0,
  );

/** Touch events of the built-in source with this name and campaign. */
export const touchEvents = async (
  t: TestApp,
  campaignId: string,
  event: string,
): Promise<Record<string, unknown>[]> =>
  (
    await t.deps.db.query<{ properties: Record<string, unknown> }>(
      `SELECT properties FROM events WHERE event = $1 AND properties->>'campaign_id' = $2`,
      [event, campaignId],
    )
  ).rows.map((r) => r.properties);

/** Runs the offer subscribers over the outbox until idle (the campaigns index wires them in the app). */
export const drainOffers = async (t: TestApp): Promise<void> => {
  const dispatcher = new OutboxDispatcher({ ...t.deps, subscribers: offerSubscribers(t.deps) });
  for (let i = 0; i < 50 && (await dispatcher.runOnce()) > 0; i++);
};

/** A percent discount to attach to campaign offers. */
export const newDiscount = async (t: TestApp, percent = 20): Promise<string> => {
  const r = await t.admin<{ id: string }>('POST', '/discounts', {
    code: `CMP${newId('x').slice(-8)}`,
    type: 'percent',
    value: percent,
  });
  if (r.status !== 201) throw new Error(`discount: ${r.status} ${r.text}`);
  return r.body.id;
};
