/**
 * Replenishment arithmetic (docs/forecasting.md, "Replenishment"), pure:
 *
 * - demand over the lead time L: D_L = Σ_{d<L} mean_d (the forecast from today);
 * - its uncertainty: σ_L = √(Σ_{d<L} σ_d²) with σ_d = (hi80_d − lo80_d) / (2 · 1.2816), the daily
 *   spread read from the 80 % interval, days taken as independent (an approximation: documented);
 * - safety stock SS_L = z · σ_L, z the standard normal quantile of the target service level
 *   (cycle service level: the probability of not running out before the order arrives);
 * - reorder point ROP = D_L + z · σ_L; order-up-to level S = D_{L+R} + z · σ_{L+R}, R the review period;
 * - inventory position P = available + inbound (transfers on their way, purchase orders ordered);
 *   when P ≤ ROP, order S − P, rounded up to the pack size and to at least the minimum order.
 *
 * Excess at a location is what its position holds above S: stock another location can take before
 * anything is bought (a transfer costs a trip; a purchase costs money and the supplier's lead time).
 */

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.15e-9). */
export const normalQuantile = (p: number): number => {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
};

export interface DailyForecast {
  mean: readonly number[];
  lo80: readonly number[];
  hi80: readonly number[];
}

const Z80 = 1.2815515655446004;

/** Demand and its standard deviation over the first `days` days of a forecast (extended flat past its end). */
export const demandOver = (f: DailyForecast, days: number): { demand: number; sigma: number } => {
  let demand = 0;
  let variance = 0;
  const n = f.mean.length;
  for (let i = 0; i < days; i++) {
    const k = n === 0 ? -1 : Math.min(i, n - 1);
    const m = k < 0 ? 0 : (f.mean[k] ?? 0);
    const s = k < 0 ? 0 : Math.max(0, ((f.hi80[k] ?? m) - (f.lo80[k] ?? m)) / (2 * Z80));
    demand += Math.max(0, m);
    variance += s * s;
  }
  return { demand, sigma: Math.sqrt(variance) };
};

export interface PolicyInput {
  forecast: DailyForecast;
  leadDays: number;
  reviewDays: number;
  serviceLevel: number;
  available: number;
  inbound: number;
}

export interface PolicyFigures {
  lead_days: number;
  review_days: number;
  service_level: number;
  z: number;
  demand_lead_time: number;
  sigma_lead_time: number;
  safety_stock: number;
  reorder_point: number;
  order_up_to: number;
  available: number;
  inbound: number;
  position: number;
  /** Units to order now (0 when the position is above the reorder point), before pack rounding. */
  need: number;
  /** Units above the order-up-to level another location could take. */
  excess: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export const policy = (p: PolicyInput): PolicyFigures => {
  const z = normalQuantile(p.serviceLevel);
  const lead = demandOver(p.forecast, p.leadDays);
  const cycle = demandOver(p.forecast, p.leadDays + p.reviewDays);
  const reorderPoint = lead.demand + z * lead.sigma;
  const orderUpTo = cycle.demand + z * cycle.sigma;
  const position = p.available + p.inbound;
  const need = position <= reorderPoint ? Math.max(0, Math.ceil(orderUpTo - position)) : 0;
  const excess = Math.max(0, Math.floor(p.available - Math.ceil(orderUpTo)));
  return {
    lead_days: p.leadDays,
    review_days: p.reviewDays,
    service_level: p.serviceLevel,
    z: Math.round(z * 1000) / 1000,
    demand_lead_time: round2(lead.demand),
    sigma_lead_time: round2(lead.sigma),
    safety_stock: round2(z * lead.sigma),
    reorder_point: round2(reorderPoint),
    order_up_to: round2(orderUpTo),
    available: p.available,
    inbound: p.inbound,
    position,
    need,
    excess,
  };
};

/** A purchase quantity: at least the minimum order, in whole packs. */
export const packQuantity = (need: number, minOrder: number, packSize: number): number => {
  if (need <= 0) return 0;
  const q = Math.max(need, minOrder);
  return Math.ceil(q / packSize) * packSize;
};

/** Projected stock below this is a stock-out: at least half a unit more demanded than held. */
const SHORT_BY = -0.5;

/**
 * The first day (0 = today) on which the projected stock — available, plus each inbound quantity from
 * its arrival day, minus the forecast mean day by day — is short by half a unit or more within `days`
 * (so that a fraction of a unit of expected demand does not make an empty shelf "at risk"); null if
 * never.
 */
export const stockoutDay = (
  forecast: DailyForecast,
  available: number,
  arrivals: readonly { day: number; quantity: number }[],
  days: number,
): number | null => {
  let stock = available;
  for (let d = 0; d < days; d++) {
    for (const a of arrivals) if (a.day === d || (d === 0 && a.day < 0)) stock += a.quantity;
    const k = Math.min(d, forecast.mean.length - 1);
    stock -= k < 0 ? 0 : Math.max(0, forecast.mean[k] ?? 0);
    if (stock <= SHORT_BY) return d;
  }
  return null;
};
