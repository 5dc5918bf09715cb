/**
 * "Item at risk of stock-out" for audiences (issue 14, point 6): the `stockRisk` condition and the
 * `items_at_risk` computed trait read `stockout_risks`, which each forecasting run rewrites
 * (src/flows/replenishment/suggest.ts `writeRisks`): one row per SKU and location whose projected
 * stock falls below zero within 90 days, `days` counted from the run's day (0: that day).
 *
 * One rule for both: an item is at risk at a location when it has a row there with `days <= N` and
 * the location is active (a closed location neither fulfils nor advertises). A cart line is at risk
 * when its SKU is at risk at a location that fulfils the line's channel (`channel_locations`, the
 * locations the `cart` condition's `itemsInStock` counts).
 */
import type { Ctx } from './compile.ts';
import { DEFAULT_RISK_DAYS, type StockRiskCondition } from './rules.ts';

/** Rows of `stockout_risks` (alias `r`) at an active location; `within`: no later than `days` (a placeholder). */
const RISKS = 'stockout_risks r JOIN locations rl ON rl.id = r.location_id AND rl.active';
const within = (days: string) => `r.days <= ${days}`;

/**
 * The cart line `kl` (cart_lines, aliased so by the caller) is at risk within `days` (a placeholder)
 * at a location fulfilling its channel. Probes stockout_risks by its key (sku, location_id).
 */
export const cartLineAtRisk = (days: string): string =>
  `EXISTS (SELECT 1 FROM ${RISKS}
      JOIN channel_locations rc ON rc.location_id = r.location_id AND rc.channel_id = kl.channel_id
      WHERE r.sku = kl.sku AND ${within(days)})`;

/**
 * When the last forecasting run (nightly over everything, or on demand for one SKU) completed: the
 * stock-out risks changed then, so segments and computed traits reading them are due again.
 */
export const LAST_FORECAST_AT = `(SELECT max(fr.finished_at) FROM forecast_runs fr WHERE fr.status = 'completed')`;

/**
 * `stockRisk` as a boolean SQL expression over the customers row `c`. `preferredStore` and
 * `anywhere` compare with the set of at-risk locations (resp. its existence), computed once per
 * query; `cart` probes the customer's active cart. Never NULL, so `not` keeps every customer who
 * does not match (a customer without a preferred store is not at risk there).
 */
export const stockRisk = (s: StockRiskCondition, ctx: Ctx): string => {
  const { p } = ctx;
  const days = p.add(s.days ?? DEFAULT_RISK_DAYS, '::int');
  /** The SKUs named (`skus`, and those of `productIds`), as a test of the SKU column `col`. */
  const named = (col: string): string | null => {
    const parts: string[] = [];
    if (s.skus) parts.push(`${col} = ANY(${p.add(s.skus, '::text[]')})`);
    if (s.productIds)
      parts.push(
        `${col} IN (SELECT v.sku FROM variants v WHERE v.product_id = ANY(${p.add(s.productIds, '::text[]')}))`,
      );
    return parts.length ? `(${parts.join(' OR ')})` : null;
  };
  if (s.where === 'cart') {
    const only = named('kl.sku');
    return `EXISTS (SELECT 1 FROM carts k JOIN cart_lines kl ON kl.cart_id = k.id
    WHERE k.customer_id = c.id AND k.status = 'active'${only ? ` AND ${only}` : ''} AND ${cartLineAtRisk(days)})`;
  }
  // rulesProblems refuses preferredStore and anywhere without skus or productIds
  const risky = `SELECT r.location_id FROM ${RISKS} WHERE ${within(days)} AND ${named('r.sku') ?? 'false'}`;
  if (s.where === 'anywhere') return `EXISTS (${risky})`;
  return `(c.preferred_location_id IS NOT NULL AND c.preferred_location_id IN (${risky}))`;
};
