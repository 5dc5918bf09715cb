/**
 * Banner and in-app placements (docs/campaigns.md, "Web banners and in-app"): which campaign's
 * content a visitor sees in a slot of the shop or the app.
 *
 * - A known customer sees only campaigns that planned a banner or in-app row for them (a campaign
 *   in status `sending`); the row's variant is theirs. A holdout row shows nothing, and the exposure
 *   is recorded once as a `viewed` touch with holdout true (properties.shown false) for lift.
 *   The first impression marks the row sent (the touch that counts for the frequency cap), records
 *   a `viewed` touch and bumps the `sent` rollup. Consent and restrictions are checked again at
 *   impression time (gateCheck); a capped customer sees nothing new until the cap allows it.
 * - An anonymous visitor sees only campaigns without an audience (no segment, no list); the A/B arm
 *   is a hash of the campaign and the anonymous id, like the planner's for customers. The first
 *   impression per visitor and campaign is a `viewed` touch and bumps the `viewed` rollup.
 */
import type { Medium } from '../../modules/messaging/types.ts';
import type { Queryable } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';
import { gateCheck } from './gate.ts';
import { instrument, publicBaseUrl } from './links.ts';
import { offerContexts } from './offers.ts';
import { type CampaignFacts, campaignsFacts, contentOf, markShown, markSkipped } from './offers-ledger.ts';
import { variantOf } from './plan.ts';
import { bumpStats } from './stats.ts';
import { type MediumContent, type RecipientContext, recipientContexts, renderContent } from './templates.ts';
import { recordTouches } from './touches.ts';

export const PLACEMENT_MEDIA: readonly Medium[] = ['banner', 'in_app'];

export interface PlacementContent {
  slot: string;
  campaign_id: string;
  variant: string | null;
  medium: Medium;
  title: string | null;
  body: string;
  image_url: string | null;
  /** a signed click redirect (/t/c/…) for a customer; the plain URL for an anonymous visitor */
  url: string | null;
}

export interface PlacementRow {
  slot: string;
  name: string;
  description: string | null;
  surface: 'web' | 'app' | 'any';
  created_at: Date;
}

export const getPlacement = async (q: Queryable, slot: string): Promise<PlacementRow | undefined> =>
  (
    await q.query<PlacementRow>(
      'SELECT slot, name, description, surface, created_at FROM placements WHERE slot = $1',
      [slot],
    )
  ).rows[0];

export const listPlacements = async (q: Queryable): Promise<PlacementRow[]> =>
  (
    await q.query<PlacementRow>(
      'SELECT slot, name, description, surface, created_at FROM placements ORDER BY slot',
    )
  ).rows;

/** The context of someone we do not know (anonymous visitor), or of a customer without one. */
export const bareContext = (
  deps: Pick<Deps, 'config'>,
  c: { id: string; name: string },
  customerId = '',
): RecipientContext => ({
  customer: {
    id: customerId,
    first_name: null,
    last_name: null,
    email: null,
    locale: null,
    traits: {},
    computed: {},
  },
  store: null,
  products: [],
  offer: null,
  campaign: { id: c.id, name: c.name },
  links: { unsubscribe: null, shop: `${publicBaseUrl(deps)}/shop` },
});

/** The medium and content of a campaign for a slot (banner first, then in-app). */
const slotContent = (
  c: CampaignFacts,
  variant: string | null,
  slot: string,
  media: readonly Medium[] = PLACEMENT_MEDIA,
): { medium: Medium; key: string; content: MediumContent } | undefined => {
  for (const medium of media) {
    if (!c.media.includes(medium)) continue;
    const v = contentOf(c, variant, medium);
    if (v && v.content.slot === slot) return { medium, ...v };
  }
  return undefined;
};

const render = async (
  deps: Deps,
  slot: string,
  c: CampaignFacts,
  pick: { medium: Medium; key: string; content: MediumContent },
  ctx: RecipientContext,
  sendId: string | null,
): Promise<PlacementContent | undefined> => {
  try {
    const rendered = await renderContent(pick.medium, pick.content, ctx);
    const tracked = sendId ? instrument(deps, rendered, { id: sendId, medium: pick.medium }) : rendered;
    return {
      slot,
      campaign_id: c.id,
      variant: pick.key,
      medium: pick.medium,
      title: tracked.title ?? null,
      body: tracked.text,
      image_url: tracked.image_url ?? null,
      url: tracked.url ?? null,
    };
  } catch (e) {
    deps.log.warn({ err: e, campaignId: c.id, slot }, 'placement content did not render; nothing shown');
    return undefined;
  }
};

interface LedgerRow {
  id: string;
  campaign_id: string;
  variant: string | null;
  status: 'planned' | 'sent' | 'holdout';
  medium: Medium;
}

/** Reasons the gate gives that end a planned row for good (consent, restriction, erasure …). */
const FINAL = new Set(['no_consent', 'restricted', 'erased', 'suppressed']);

const forCustomer = async (
  deps: Deps,
  slot: string,
  customerId: string,
  channelId: string | null,
): Promise<PlacementContent | undefined> => {
  const q = deps.db;
  const now = deps.clock.now();
  const { rows } = await q.query<LedgerRow>(
    `SELECT s.id, s.campaign_id, s.variant, s.status, s.medium FROM message_sends s
     JOIN campaigns c ON c.id = s.campaign_id AND c.status = 'sending'
     WHERE s.customer_id = $1 AND s.medium = ANY($2::text[]) AND s.status IN ('planned', 'sent', 'holdout')
     ORDER BY s.created_at DESC, s.id DESC LIMIT 50`,
    [customerId, PLACEMENT_MEDIA],
  );
  const campaigns = await campaignsFacts(q, [...new Set(rows.map((r) => r.campaign_id))]);
  const candidates = rows.flatMap((r) => {
    const c = campaigns.get(r.campaign_id);
    const pick = c ? slotContent(c, r.variant, slot, [r.medium]) : undefined;
    return c && pick ? [{ row: r, c, pick }] : [];
  });
  const holdouts = candidates.filter((x) => x.row.status === 'holdout');
  if (holdouts.length > 0) {
    await recordTouches(
      q,
      deps,
      holdouts.map(({ row }) => ({
        kind: 'viewed' as const,
        medium: row.medium,
        at: now,
        messageId: `touch:${row.id}:holdout_viewed`,
        sendId: row.id,
        customerId,
        holdout: true,
        channelId,
        properties: { slot, shown: false },
      })),
    );
  }
  const shown = candidates.filter((x) => x.row.status !== 'holdout');
  if (shown.length === 0) return undefined;
  const gate = await gateCheck(q, deps, {
    customerIds: [customerId],
    medium: shown[0]?.row.medium ?? 'banner',
    marketing: true,
    now,
  });
  const decision = gate.get(customerId);
  for (const { row, c, pick } of shown) {
    if (decision && !decision.ok) {
      if (FINAL.has(decision.reason)) {
        const skipped = await markSkipped(q, [row.id], decision.reason, now);
        if (skipped.length > 0)
          await bumpStats(q, [
            {
              campaignId: c.id,
              variant: row.variant,
              medium: row.medium,
              metric: `skipped:${decision.reason}`,
            },
          ]);
        continue;
      }
      // capped: a row already seen may show again (no new touch); a new one waits
      if (row.status === 'planned' && c.kind === 'marketing') continue;
    }
    const ctx = (
      await recipientContexts(q, deps, [customerId], { productIds: c.product_ids, campaign: c })
    ).get(customerId);
    const offer = (await offerContexts(q, deps, c, [customerId])).get(customerId) ?? null;
    const content = await render(
      deps,
      slot,
      c,
      pick,
      { ...(ctx ?? bareContext(deps, c, customerId)), offer },
      row.id,
    );
    if (!content) continue;
    if (row.status === 'planned') await firstImpression(deps, row, customerId, channelId, slot);
    return content;
  }
  return undefined;
};

const firstImpression = async (
  deps: Deps,
  row: LedgerRow,
  customerId: string,
  channelId: string | null,
  slot: string,
): Promise<void> => {
  await deps.db.tx(async (tx) => {
    const now = deps.clock.now();
    const [marked] = await markShown(tx, [row.id], now);
    if (!marked) return; // another impression marked it first
    await recordTouches(tx, deps, [
      {
        kind: 'viewed',
        medium: row.medium,
        at: now,
        messageId: `touch:${row.id}:viewed`,
        sendId: row.id,
        customerId,
        channelId,
        properties: { slot },
      },
    ]);
    await bumpStats(tx, [
      { campaignId: row.campaign_id, variant: row.variant, medium: row.medium, metric: 'sent' },
    ]);
  });
};

const forAnonymous = async (
  deps: Deps,
  slot: string,
  anonymousId: string | null,
  channelId: string | null,
): Promise<PlacementContent | undefined> => {
  const q = deps.db;
  const ids = (
    await q.query<{ id: string }>(
      `SELECT id FROM campaigns WHERE status = 'sending' AND segment_id IS NULL AND list_id IS NULL
         AND media && $1::text[]
       ORDER BY started_at DESC NULLS LAST, id DESC LIMIT 20`,
      [PLACEMENT_MEDIA],
    )
  ).rows.map((r) => r.id);
  const campaigns = await campaignsFacts(q, ids);
  for (const id of ids) {
    const c = campaigns.get(id);
    if (!c) continue;
    const splits = c.variants.map((v) => ({ key: v.key, split: v.split ?? 100 / c.variants.length }));
    const arm =
      c.winner_variant ?? (anonymousId && splits.length > 0 ? variantOf(c.id, anonymousId, splits) : null);
    const pick = slotContent(c, arm, slot);
    if (!pick) continue;
    const content = await render(deps, slot, c, pick, bareContext(deps, c), null);
    if (!content) continue;
    if (anonymousId) {
      const now = deps.clock.now();
      await deps.db.tx(async (tx) => {
        const fresh = await recordTouches(tx, deps, [
          {
            kind: 'viewed',
            medium: pick.medium,
            at: now,
            messageId: `touch:placement:${c.id}:${anonymousId}:viewed`,
            campaignId: c.id,
            anonymousId,
            variant: pick.key,
            channelId,
            properties: { slot },
          },
        ]);
        if (fresh > 0)
          await bumpStats(tx, [
            { campaignId: c.id, variant: pick.key, medium: pick.medium, metric: 'viewed' },
          ]);
      });
    }
    return content;
  }
  return undefined;
};

/** The content of a slot for this visitor (NOT_FOUND for an unknown slot); undefined: show nothing. */
export const choosePlacement = async (
  deps: Deps,
  a: { slot: string; customerId: string | null; anonymousId: string | null; channelId: string | null },
): Promise<PlacementContent | undefined> => {
  if (!(await getPlacement(deps.db, a.slot))) throw notFound('Placement', a.slot);
  return a.customerId
    ? forCustomer(deps, a.slot, a.customerId, a.channelId)
    : forAnonymous(deps, a.slot, a.anonymousId, a.channelId);
};

/**
 * A click on a placement (for a shop that does not follow the tracked link): a `clicked` touch of
 * the customer's send (unique click noted on the send and counted once), or of the anonymous visitor.
 */
export const recordPlacementClick = async (
  deps: Deps,
  a: {
    slot: string;
    campaignId: string;
    customerId: string | null;
    anonymousId: string | null;
    channelId: string | null;
  },
  clickId: string,
): Promise<boolean> => {
  const q = deps.db;
  const now = deps.clock.now();
  const row = a.customerId
    ? (
        await q.query<{ id: string; medium: Medium; variant: string | null }>(
          `SELECT id, medium, variant FROM message_sends WHERE campaign_id = $1 AND customer_id = $2
             AND medium = ANY($3::text[]) AND status = 'sent' ORDER BY medium LIMIT 1`,
          [a.campaignId, a.customerId, PLACEMENT_MEDIA],
        )
      ).rows[0]
    : undefined;
  if (a.customerId && !row) return false;
  const c = (await campaignsFacts(q, [a.campaignId])).get(a.campaignId);
  if (!c) return false;
  const medium = row?.medium ?? slotContent(c, null, a.slot)?.medium;
  if (!medium) return false;
  await deps.db.tx(async (tx) =>
    recordTouches(tx, deps, [
      {
        kind: 'clicked',
        medium,
        at: now,
        messageId: `touch:placement-click:${clickId}`,
        sendId: row?.id ?? null,
        campaignId: a.campaignId,
        customerId: a.customerId,
        anonymousId: a.anonymousId,
        variant: row?.variant ?? null,
        channelId: a.channelId,
        properties: { slot: a.slot },
      },
    ]),
  );
  return true;
};
