/**
 * Attribution, campaigns and customer value: answer types from the generated client, query keys, the
 * filters each screen keeps in its URL, and the small computations the screens share.
 */
import type { paths } from '@plaza/client';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;

type AttributionOp = paths['/admin/analytics/attribution']['get'];
export type AttributionQuery = NonNullable<AttributionOp['parameters']['query']>;
export type Attribution = Json<AttributionOp['responses'][200]>;
export type AttributionRow = Attribution['rows'][number];
export type Model = keyof AttributionRow['credits'];
export type By = NonNullable<AttributionQuery['by']>;

type CampaignsOp = paths['/admin/analytics/campaigns']['get'];
export type CampaignsQuery = NonNullable<CampaignsOp['parameters']['query']>;
export type CampaignsReport = Json<CampaignsOp['responses'][200]>;
export type CampaignRow = CampaignsReport['rows'][number];
export type RuleModel = NonNullable<CampaignsQuery['model']>;
export type Lift = NonNullable<CampaignRow['lift']>;

export type Cost = Json<paths['/admin/analytics/costs']['get']['responses'][200]>['data'][number];
export type CostBody = NonNullable<
  paths['/admin/analytics/costs']['post']['requestBody']
>['content']['application/json'];
export type CostKind = CostBody['kind'];

type CustomersOp = paths['/admin/analytics/customers']['get'];
export type CustomersQuery = NonNullable<CustomersOp['parameters']['query']>;
export type CustomerValue = Json<CustomersOp['responses'][200]>;
export type CustomerGroup = CustomerValue['all'];
export type RfmGroup = CustomerValue['rfm'][number];

/** The six models, in the order the table and the chart show them (rule-based first). */
export const MODELS: readonly Model[] = [
  'first_touch',
  'last_touch',
  'linear',
  'position_based',
  'time_decay',
  'data_driven',
];
/** The models the campaigns report can count attributed sales with (the data-driven one cannot). */
export const RULE_MODELS: readonly RuleModel[] = [
  'first_touch',
  'last_touch',
  'linear',
  'position_based',
  'time_decay',
];
export const BYS: readonly By[] = ['medium', 'campaign'];
export const COST_KINDS: readonly CostKind[] = [
  'print',
  'messages',
  'ad_spend',
  'discounts',
  'production',
  'other',
];
/** The channel mixes in the order they compare: one kind of channel, then both. */
export const MIXES = ['online', 'store', 'both'] as const;

export const measureKeys = {
  attribution: (q: AttributionQuery) => ['analytics', 'attribution', q] as const,
  campaigns: (q: CampaignsQuery) => ['analytics', 'campaigns', q] as const,
  costs: ['analytics', 'costs'] as const,
  customers: (q: CustomersQuery) => ['analytics', 'customers', q] as const,
  campaignList: ['analytics', 'campaign-list'] as const,
  segmentList: ['analytics', 'segment-list'] as const,
};

/**
 * What a campaign key of the reports is: a campaign (`cmp_…`) or journey (`jrn_…`) of Plaza's, an ad
 * campaign known by its UTM name (`utm:<name>`), a store visit (`store:<location id>`), or else.
 */
export const keyKind = (key: string): 'campaign' | 'journey' | 'ad' | 'store' | 'other' =>
  key.startsWith('cmp_')
    ? 'campaign'
    : key.startsWith('jrn_')
      ? 'journey'
      : key.startsWith('utm:')
        ? 'ad'
        : key.startsWith('store:')
          ? 'store'
          : 'other';

/** The message keys of a medium's name: Plaza's own media as the campaigns area names them, then ours. */
export const mediumKeys = (medium: string): string[] => [
  `campaigns.media.${medium}`,
  `analytics.media.${medium}`,
];

/** The JSON answer of a report (its operation also answers CSV, with format=csv, never asked here). */
export const jsonOnly = <T>(answer: T | string): T => {
  if (typeof answer === 'string') throw new TypeError('a CSV answer to a JSON request');
  return answer;
};

/** The CSV export of a report query (the session cookie authenticates the download). */
export const exportUrl = (path: string, q: Record<string, string | undefined>): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, v);
  params.set('format', 'csv');
  return `${path}?${params.toString()}`;
};

interface ParamSpec {
  /** What a value must look like (a pattern or the values allowed); anything else reads as `fallback`. */
  valid: RegExp | readonly string[];
  /** The value when the URL has none (the API's default): not written to the URL. */
  fallback?: string;
}

/**
 * A screen's filters in its URL: each name read through its spec; `set` writes a patch, dropping
 * empty values and defaults so the address stays short.
 */
export const useUrlState = <K extends string>(
  spec: Record<K, ParamSpec>,
): [Record<K, string>, (patch: Partial<Record<K, string>>) => void] => {
  const [params, setParams] = useSearchParams();
  const ok = (s: ParamSpec, v: string) => (s.valid instanceof RegExp ? s.valid.test(v) : s.valid.includes(v));
  const names = Object.keys(spec) as K[];
  const value = Object.fromEntries(
    names.map((k) => {
      const s = spec[k];
      const v = params.get(k) ?? '';
      return [k, v && ok(s, v) ? v : (s.fallback ?? '')];
    }),
  ) as Record<K, string>;
  const set = useCallback(
    (patch: Partial<Record<K, string>>) =>
      setParams(
        (p) => {
          const n = new URLSearchParams(p);
          for (const [k, v] of Object.entries(patch) as [K, string | undefined][]) {
            if (v && v !== spec[k]?.fallback) n.set(k, v);
            else n.delete(k);
          }
          return n;
        },
        { replace: true },
      ),
    [setParams, spec],
  );
  return [value, set];
};

/** A figure in a chosen number of decimals, in the page's language. */
export const decimal = (n: number, locale: string, digits = 1): string =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);

/** A difference of shares (0.021) in percentage points with its sign (+2.1). */
export const points = (share: number, locale: string): string =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(share * 100);

/**
 * How many times an omnichannel customer's historical value is an online-only one's (revenue per
 * customer of `both` / `online`), or null when a group is missing or the online one is worth nothing.
 */
export const omnichannelMultiple = (groups: readonly CustomerGroup[]): number | null => {
  const both = groups.find((g) => g.key === 'both');
  const online = groups.find((g) => g.key === 'online');
  if (!both || !online || both.customers === 0 || online.revenue_per_customer <= 0) return null;
  return both.revenue_per_customer / online.revenue_per_customer;
};

/**
 * Minor units from an amount typed in major units (`1500`, `12.50`, `12,5` → 1250 in USD), or undefined
 * when it is not an amount or has more decimals than the currency. Any size: the API sets the bound.
 */
export const amountToMinor = (typed: string, currency: string): number | undefined => {
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
  } catch {
    digits = 2;
  }
  const m = /^(\d{1,18})(?:[.,](\d*))?$/.exec(typed.trim());
  if (!m?.[1]) return undefined;
  const frac = m[2] ?? '';
  if (frac.length > digits) return undefined;
  return Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
};

/** The shade level (0–5) of a share 0–1 in the retention heat map. */
export const shadeLevel = (share: number): number => Math.min(5, Math.max(0, Math.ceil(share * 5)));
