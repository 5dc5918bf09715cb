/**
 * Media measures from the analytics campaigns report (src/flows/analytics/campaigns-report.ts): the
 * response rate per medium from the campaigns' funnels, and the ROI per medium from the sales
 * attributed to campaigns (last touch) and the costs entered for them.
 */
import type { Measure } from '../../modules/strategy/schema.ts';
import type { Queryable } from '../../platform/db.ts';
import { type CampaignPerformance, campaignPerformance } from '../analytics/campaigns-report.ts';
import { convertDaily } from '../analytics/fx.ts';
import { count, describePeriod, leftOut, measureOf, type Period, percent, ratio } from './measures-common.ts';

const SOURCE = 'analytics campaigns report';

/** Rows repeat a campaign × medium's funnel once per currency: one funnel per campaign × medium. */
const funnels = (rows: readonly CampaignPerformance[]) => {
  const seen = new Map<string, CampaignPerformance>();
  for (const r of rows) seen.set(`${r.campaign_id}\u0000${r.medium}`, r);
  return [...seen.values()];
};

const responseRate = (rows: readonly CampaignPerformance[], p: Period): Measure => {
  const per = new Map<string, { reach: number; converted: number }>();
  for (const r of funnels(rows)) {
    const reach = Math.max(r.funnel.sent, r.funnel.shown);
    if (reach <= 0) continue;
    const m = per.get(r.medium) ?? { reach: 0, converted: 0 };
    m.reach += reach;
    m.converted += r.funnel.converted;
    per.set(r.medium, m);
  }
  const reach = [...per.values()].reduce((s, m) => s + m.reach, 0);
  const converted = [...per.values()].reduce((s, m) => s + m.converted, 0);
  const value = ratio(converted, reach);
  return measureOf('media_response_rate', 'ratio', {
    value,
    sample: reach,
    period: p,
    method:
      `Responses over reach across every campaign and journey medium, from the ${SOURCE}: reach is what a ` +
      `medium sent or printed (e-mail, SMS, push, print, ads) or showed (banners, in-app, offers at the ` +
      `till), the larger of sent and shown per campaign and medium (holdouts excluded); a response is a ` +
      `recipient who bought within the campaign's conversion window. ${count(converted)} of ` +
      `${count(reach)} (${percent(value)}). Campaign funnels are kept since each campaign began, not ` +
      `per day, so they may reach before ${describePeriod(p)}. Breakdown: the rate per medium.`,
    breakdown: [...per.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([medium, m]) => ({ label: medium, value: ratio(m.converted, m.reach), sample: m.reach })),
  });
};

const roi = async (
  q: Queryable,
  rows: readonly CampaignPerformance[],
  p: Period,
  currency: string,
): Promise<Measure> => {
  const costed = rows.filter((r) => r.cost > 0 && r.currency !== null);
  // money of the period in other currencies: at the rate of its last day (else the latest before)
  const converted = await convertDaily(
    q,
    costed.flatMap((r) => [
      { date: p.to, currency: r.currency as string, amount: r.attributed.revenue },
      { date: p.to, currency: r.currency as string, amount: r.cost },
    ]),
    currency,
  );
  const per = new Map<string, { revenue: number; cost: number; sales: number }>();
  costed.forEach((r, i) => {
    const revenue = converted.amounts[2 * i];
    const cost = converted.amounts[2 * i + 1];
    if (revenue === null || revenue === undefined || cost === null || cost === undefined) return;
    const m = per.get(r.medium) ?? { revenue: 0, cost: 0, sales: 0 };
    m.revenue += revenue;
    m.cost += cost;
    m.sales += r.attributed.conversions;
    per.set(r.medium, m);
  });
  const total = [...per.values()].reduce(
    (s, m) => ({ revenue: s.revenue + m.revenue, cost: s.cost + m.cost, sales: s.sales + m.sales }),
    { revenue: 0, cost: 0, sales: 0 },
  );
  const roiOf = (m: { revenue: number; cost: number }) => ratio(m.revenue - m.cost, m.cost);
  const value = roiOf(total);
  return measureOf('media_roi', 'ratio', {
    value,
    sample: total.sales,
    period: p,
    method:
      `Return on the costs entered for campaigns ${describePeriod(p)}, from the ${SOURCE}: (sales ` +
      `attributed to them by last touch − cost) / cost, in ${currency} (order totals before refunds; ` +
      `other currencies at the analytics rate of ${p.to} or the latest before). Only campaign and ` +
      `medium pairs with a cost count; ${count(Math.round(total.sales))} attributed sales against ` +
      `${count(total.cost)} minor units of cost. Breakdown: the ROI per medium.` +
      leftOut(converted.missing, currency, 'sales and costs'),
    breakdown: [...per.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([medium, m]) => ({ label: medium, value: roiOf(m), sample: m.sales })),
  });
};

/** media_response_rate and media_roi over the period. */
export const mediaMeasures = async (
  q: Queryable,
  o: { currency: string; period: Period },
): Promise<Measure[]> => {
  const rows = await campaignPerformance(q, { from: o.period.from, to: o.period.to, model: 'last_touch' });
  return [responseRate(rows, o.period), await roi(q, rows, o.period, o.currency)];
};
