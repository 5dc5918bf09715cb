/**
 * The store counter (docs/campaigns.md, "The store counter"): when staff identify a customer at the
 * POS, the customer's active offers — campaigns with the `pos` medium in status sending that planned a
 * row for them — with the content rendered for this store: the campaign's products with their
 * availability HERE (not at the customer's preferred store), and their offer code. Showing one marks
 * its row sent (the touch that counts for the cap) with a `shown` touch; redeeming goes through the
 * sale's discount_code.
 */
import { getCustomer } from '../../modules/customers/index.ts';
import { availability } from '../../modules/inventory/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';
import { gateCheck } from './gate.ts';
import { offerContexts } from './offers.ts';
import { campaignsFacts, contentOf, markShown, markSkipped } from './offers-ledger.ts';
import { bareContext } from './placements.ts';
import { bumpStats } from './stats.ts';
import { type RecipientContext, recipientContexts, renderContent } from './templates.ts';
import { recordTouches } from './touches.ts';

export interface CounterProduct {
  id: string;
  title: string;
  available_here: number;
  in_stock_here: boolean;
}

export interface CounterOffer {
  send_id: string;
  campaign_id: string;
  campaign_name: string;
  variant: string | null;
  shown: boolean;
  title: string | null;
  body: string;
  code: string | null;
  products: CounterProduct[];
}

/** The campaign's products with what this location can sell now (summed over their variants). */
const productsHere = async (
  q: Queryable,
  productIds: readonly string[],
  locationId: string,
): Promise<CounterProduct[]> => {
  if (productIds.length === 0) return [];
  const { rows } = await q.query<{ id: string; title: string; sku: string }>(
    `SELECT p.id, p.title, v.sku FROM products p JOIN variants v ON v.product_id = p.id
     WHERE p.id = ANY($1::text[]) ORDER BY p.id, v.position, v.id`,
    [productIds],
  );
  const levels = await availability(q, { skus: rows.map((r) => r.sku), locationIds: [locationId] });
  const bySku = new Map(levels.map((l) => [l.sku, Number(l.available)]));
  const out = new Map<string, CounterProduct>();
  for (const r of rows) {
    const p = out.get(r.id) ?? { id: r.id, title: r.title, available_here: 0, in_stock_here: false };
    p.available_here += bySku.get(r.sku) ?? 0;
    p.in_stock_here = p.available_here > 0;
    out.set(r.id, p);
  }
  return productIds.flatMap((id) => {
    const p = out.get(id);
    return p ? [p] : [];
  });
};

const storeOf = async (q: Queryable, locationId: string) => {
  const l = (
    await q.query<{ id: string; name: string; city: string | null }>(
      'SELECT id, name, city FROM locations WHERE id = $1',
      [locationId],
    )
  ).rows[0];
  if (!l) throw notFound('Location', locationId);
  return l;
};

const FINAL = new Set(['no_consent', 'restricted', 'erased', 'suppressed']);

/** The customer's active counter offers, rendered for this store. */
export const counterOffers = async (
  deps: Deps,
  customerId: string,
  locationId: string,
): Promise<CounterOffer[]> => {
  const q = deps.db;
  if (!(await getCustomer(q, customerId))) throw notFound('Customer', customerId);
  const store = await storeOf(q, locationId);
  const now = deps.clock.now();
  const { rows } = await q.query<{ id: string; campaign_id: string; variant: string | null; status: string }>(
    `SELECT s.id, s.campaign_id, s.variant, s.status FROM message_sends s
     JOIN campaigns c ON c.id = s.campaign_id AND c.status = 'sending'
     WHERE s.customer_id = $1 AND s.medium = 'pos' AND s.status IN ('planned', 'sent')
     ORDER BY s.created_at DESC, s.id DESC LIMIT 20`,
    [customerId],
  );
  if (rows.length === 0) return [];
  const campaigns = await campaignsFacts(q, [...new Set(rows.map((r) => r.campaign_id))]);
  const decision = (
    await gateCheck(q, deps, { customerIds: [customerId], medium: 'pos', marketing: true, now })
  ).get(customerId);
  const out: CounterOffer[] = [];
  for (const r of rows) {
    const c = campaigns.get(r.campaign_id);
    const content = c && contentOf(c, r.variant, 'pos');
    if (!c || !content) continue;
    if (decision && !decision.ok && c.kind === 'marketing') {
      if (FINAL.has(decision.reason)) {
        if ((await markSkipped(q, [r.id], decision.reason, now)).length > 0)
          await bumpStats(q, [
            { campaignId: c.id, variant: r.variant, medium: 'pos', metric: `skipped:${decision.reason}` },
          ]);
        continue;
      }
      if (r.status === 'planned') continue; // capped: a new one waits, one already shown stays
    }
    const products = await productsHere(q, c.product_ids, locationId);
    const offer = (await offerContexts(q, deps, c, [customerId])).get(customerId) ?? null;
    const base = (
      await recipientContexts(q, deps, [customerId], { productIds: c.product_ids, campaign: c })
    ).get(customerId);
    const known = new Map((base?.products ?? []).map((p) => [p.id, p]));
    const ctx: RecipientContext = {
      ...(base ?? bareContext(deps, c, customerId)),
      // "in stock here": the counter's store, not the customer's preferred one
      store: { id: store.id, name: store.name, city: store.city },
      products: products.map((p) => ({
        id: p.id,
        title: p.title,
        price: known.get(p.id)?.price ?? '',
        url: known.get(p.id)?.url ?? '',
        image_url: known.get(p.id)?.image_url ?? null,
        in_stock_at_store: p.in_stock_here,
        available_at_store: p.available_here,
      })),
      offer,
    };
    try {
      const rendered = await renderContent('pos', content.content, ctx);
      out.push({
        send_id: r.id,
        campaign_id: c.id,
        campaign_name: c.name,
        variant: r.variant,
        shown: r.status === 'sent',
        title: rendered.title ?? null,
        body: rendered.text,
        code: offer?.code ?? null,
        products,
      });
    } catch (e) {
      deps.log.warn({ err: e, campaignId: c.id }, 'counter offer did not render; not shown');
    }
  }
  return out;
};

/**
 * Staff showed the offer: its row is marked sent (once; the touch that counts for the cap) with a
 * `shown` touch at this location. Idempotent: a second call changes nothing and answers first=false.
 */
export const markOfferShown = async (
  deps: Deps,
  sendId: string,
  locationId: string | null,
  channelId: string | null,
): Promise<{ send_id: string; status: string; first: boolean; customer_id: string }> =>
  deps.db.tx(async (tx) => {
    const row = (
      await tx.query<{ id: string; status: string; customer_id: string; campaign_id: string | null }>(
        `SELECT id, status, customer_id, campaign_id FROM message_sends WHERE id = $1 AND medium = 'pos'`,
        [sendId],
      )
    ).rows[0];
    if (!row) throw notFound('Counter offer', sendId);
    const now = deps.clock.now();
    const [marked] = await markShown(tx, [row.id], now, { provider: 'pos', reference: locationId ?? 'pos' });
    if (marked) {
      await recordTouches(tx, deps, [
        {
          kind: 'shown',
          medium: 'pos',
          at: now,
          messageId: `touch:${row.id}:shown`,
          sendId: row.id,
          customerId: row.customer_id,
          locationId,
          channelId,
        },
      ]);
      await bumpStats(tx, [
        { campaignId: marked.campaign_id, variant: marked.variant, medium: 'pos', metric: 'sent' },
      ]);
    }
    const status = marked ? 'sent' : row.status;
    return { send_id: row.id, status, first: !!marked, customer_id: row.customer_id };
  });
