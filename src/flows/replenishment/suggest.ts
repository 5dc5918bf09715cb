/**
 * Suggestions after a forecasting run (docs/forecasting.md, "Replenishment"), per SKU:
 * 1. every location's figures (policy.ts): need (position at or below the reorder point) and excess;
 * 2. a location replenished from a source (a store from the warehouse) takes what the source can
 *    spare above its own reorder point, as a transfer;
 * 3. what is still needed is taken from other locations' excess, largest first (transfers);
 * 4. what is still needed is bought: at the location itself when it buys, else added to its source's
 *    need; each buying location's need becomes a purchase from the SKU's preferred supplier, in
 *    whole packs and at least the minimum order.
 * Suggestions are replaced on every run; a dismissed one is not made again until its date.
 */
import type { Queryable, Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import { addDays } from '../forecasting/history.ts';
import type { ForecastSettings } from '../forecasting/settings.ts';
import { type PolicyFigures, packQuantity, policy, stockoutDay } from './policy.ts';
import { type ItemState, loadStates, type Supplier } from './state.ts';

/** How long a superseded suggestion is kept before it is purged. */
export const SUPERSEDED_KEEP_MS = 7 * 86_400_000;

export interface Suggestion {
  kind: 'purchase' | 'transfer';
  sku: string;
  location_id: string;
  from_location_id: string | null;
  supplier_id: string | null;
  quantity: number;
  detail: Record<string, unknown>;
}

interface Item extends ItemState {
  fig: PolicyFigures;
  remaining: number;
  spare: number;
}

const inboundOf = (s: ItemState, horizonDays: number): number =>
  s.arrivals.reduce((sum, a) => (a.day <= horizonDays ? sum + a.quantity : sum), 0);

/** The suggestions for one SKU's locations (all the same SKU). */
export const suggestForSku = (
  states: readonly ItemState[],
  supplier: Supplier | undefined,
  settings: ForecastSettings,
): Suggestion[] => {
  const items: Item[] = states.map((s) => {
    const lead =
      s.lead_days ?? (s.source_location_id ? settings.transferLeadDays : (supplier?.lead_time_days ?? 7));
    const fig = policy({
      forecast: s.forecast,
      leadDays: lead,
      reviewDays: s.review_days,
      serviceLevel: s.service_level,
      available: s.available,
      inbound: inboundOf(s, lead + s.review_days),
    });
    // A location can spare what it holds above its own reorder point without putting itself at risk.
    const spare = Math.max(0, Math.floor(s.available - Math.ceil(fig.reorder_point)));
    return { ...s, fig, remaining: fig.need, spare };
  });
  const byId = new Map(items.map((i) => [i.location_id, i]));
  const out: Suggestion[] = [];
  const transfer = (from: Item, to: Item, quantity: number, reason: string) => {
    const last = out.find(
      (s) =>
        s.kind === 'transfer' && s.from_location_id === from.location_id && s.location_id === to.location_id,
    );
    if (last) last.quantity += quantity;
    else
      out.push({
        kind: 'transfer',
        sku: to.sku,
        location_id: to.location_id,
        from_location_id: from.location_id,
        supplier_id: null,
        quantity,
        detail: {
          reason,
          policy: to.fig,
          source: { available: from.available, spare: from.spare, excess: from.fig.excess },
        },
      });
    from.spare -= quantity;
    from.fig = { ...from.fig, excess: Math.max(0, from.fig.excess - quantity) };
    to.remaining -= quantity;
  };
  // 2. From the source.
  for (const it of items) {
    const src = it.source_location_id ? byId.get(it.source_location_id) : undefined;
    if (it.remaining > 0 && src && src.spare > 0)
      transfer(src, it, Math.min(src.spare, it.remaining), 'from_source');
  }
  // 3. From other locations' excess (what they hold above their order-up-to level).
  for (const it of items.filter((i) => i.remaining > 0)) {
    const givers = items
      .filter((g) => g !== it && g.fig.excess > 0 && g.spare > 0)
      .sort((a, b) => b.fig.excess - a.fig.excess || a.location_id.localeCompare(b.location_id));
    for (const g of givers) {
      if (it.remaining <= 0) break;
      transfer(g, it, Math.min(g.fig.excess, g.spare, it.remaining), 'excess_elsewhere');
    }
  }
  // 4. Buy: at the location, or through its source.
  const buyNeed = new Map<string, { need: number; for: string[] }>();
  for (const it of items.filter((i) => i.remaining > 0)) {
    // A sourced location's shortfall is bought at its source (one level: sources are not chained).
    const buyer = it.source_location_id ?? it.location_id;
    const e = buyNeed.get(buyer) ?? { need: 0, for: [] };
    e.need += it.remaining;
    if (buyer !== it.location_id) e.for.push(it.location_id);
    buyNeed.set(buyer, e);
  }
  const sku = items[0]?.sku;
  if (supplier && sku)
    for (const [locationId, e] of buyNeed) {
      const quantity = packQuantity(e.need, supplier.min_order, supplier.pack_size);
      if (quantity > 0)
        out.push({
          kind: 'purchase',
          sku,
          location_id: locationId,
          from_location_id: null,
          supplier_id: supplier.supplier_id,
          quantity,
          detail: {
            reason: 'below_reorder_point',
            policy: byId.get(locationId)?.fig ?? null,
            need: e.need,
            for_locations: e.for,
            min_order: supplier.min_order,
            pack_size: supplier.pack_size,
          },
        });
    }
  return out.filter((s) => s.quantity > 0);
};

/** Replaces the open suggestions of these SKUs with a new set, in one transaction. */
export const refreshSuggestions = async (
  tx: Tx,
  runId: string,
  skus: readonly string[],
  settings: ForecastSettings,
  now: Date,
): Promise<number> => {
  const { items, suppliers } = await loadStates(tx, skus, settings);
  const today = items[0]?.first_day ?? now.toISOString().slice(0, 10);
  const bySku = new Map<string, ItemState[]>();
  for (const it of items) bySku.set(it.sku, [...(bySku.get(it.sku) ?? []), it]);
  const suggestions = [...bySku].flatMap(([sku, list]) => suggestForSku(list, suppliers.get(sku), settings));
  await tx.query(
    `UPDATE replenishment_suggestions SET status = 'superseded', decided_at = $2
      WHERE status = 'open' AND sku = ANY($1)`,
    [skus, now],
  );
  // Superseded suggestions are kept a week (an answer to a screen opened before the run says
  // "superseded", not "not found"), then purged: a nightly run replaces tens of thousands.
  await tx.query(
    `DELETE FROM replenishment_suggestions WHERE status = 'superseded' AND sku = ANY($1) AND decided_at < $2`,
    [skus, new Date(now.getTime() - SUPERSEDED_KEEP_MS)],
  );
  await writeRisks(tx, runId, skus, items, today, now);
  const dismissed = await dismissedKeys(tx, skus, today);
  const rows = suggestions.filter((s) => !dismissed.has(keyOf(s)));
  if (rows.length === 0) return 0;
  await tx.query(
    `INSERT INTO replenishment_suggestions (id, run_id, kind, sku, location_id, from_location_id, supplier_id,
       quantity, status, detail, created_at)
     SELECT id, $2, kind, sku, location_id, from_location_id, supplier_id, quantity, 'open', detail, $3
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, kind text, sku text, location_id text, from_location_id text,
            supplier_id text, quantity int, detail jsonb)`,
    [JSON.stringify(rows.map((s) => ({ id: newId('rps'), ...s }))), runId, now],
  );
  return rows.length;
};

const keyOf = (s: {
  kind: string;
  sku: string;
  location_id: string;
  from_location_id: string | null;
}): string => `${s.kind}\u0000${s.sku}\u0000${s.location_id}\u0000${s.from_location_id ?? ''}`;

const dismissedKeys = async (q: Queryable, skus: readonly string[], today: string): Promise<Set<string>> =>
  new Set(
    (
      await q.query<{ kind: string; sku: string; location_id: string; from_location_id: string | null }>(
        `SELECT DISTINCT kind, sku, location_id, from_location_id FROM replenishment_suggestions
          WHERE status = 'dismissed' AND sku = ANY($1) AND dismissed_until >= $2::date`,
        [skus, today],
      )
    ).rows.map(keyOf),
  );

/** Days ahead the stock-out risk is projected (the largest `days` the at-risk list accepts). */
export const RISK_HORIZON_DAYS = 90;

const writeRisks = async (
  tx: Tx,
  runId: string,
  skus: readonly string[],
  items: readonly ItemState[],
  today: string,
  now: Date,
): Promise<void> => {
  await tx.query('DELETE FROM stockout_risks WHERE sku = ANY($1)', [skus]);
  const rows = items.flatMap((it) => {
    const day = stockoutDay(it.forecast, it.available, it.arrivals, RISK_HORIZON_DAYS);
    if (day === null) return [];
    let demand = 0;
    for (let d = 0; d <= day; d++)
      demand += Math.max(0, it.forecast.mean[Math.min(d, it.forecast.mean.length - 1)] ?? 0);
    const later = it.arrivals.filter((a) => a.day > day).map((a) => a.day);
    return [
      {
        sku: it.sku,
        location_id: it.location_id,
        stockout_on: addDays(today, day),
        days: day,
        available: it.available,
        inbound: it.arrivals.reduce((s, a) => s + a.quantity, 0),
        demand: Math.round(demand * 100) / 100,
        next_arrival_on: later.length > 0 ? addDays(today, Math.min(...later)) : null,
      },
    ];
  });
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO stockout_risks (sku, location_id, run_id, stockout_on, days, available, inbound, demand,
       next_arrival_on, computed_at)
     SELECT sku, location_id, $2, stockout_on, days, available, inbound, demand, next_arrival_on, $3
       FROM jsonb_to_recordset($1::jsonb) AS x(sku text, location_id text, stockout_on date, days int,
            available int, inbound int, demand real, next_arrival_on date)`,
    [JSON.stringify(rows), runId, now],
  );
};
