/** Segments area: types from the generated client (D's rule tree, E's computed traits), query keys, helpers. */
import type { components, paths } from '@plaza/client';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;

export type Rules = components['schemas']['SegmentRules'];
export type Leaf<K extends string> =
  Extract<Rules, Record<K, unknown>> extends infer L ? (L extends Record<K, infer C> ? C : never) : never;
export type TraitCond = Leaf<'trait'>;
export type EventCond = Leaf<'event'>;
export type OrdersCond = Leaf<'orders'>;
export type ChannelMixCond = Leaf<'channelMix'>;
export type LoyaltyCond = Leaf<'loyalty'>;
export type ConsentCond = Leaf<'consent'>;
export type GeoCond = Leaf<'geo'>;
export type CartCond = Leaf<'cart'>;
export type StockRiskCond = Leaf<'stockRisk'>;
export type RiskWhere = StockRiskCond['where'];
export type Window = NonNullable<EventCond['within']>;
export type Cmp = NonNullable<EventCond['count']>;
export type Member = components['schemas']['SegmentMember'];
export type ValueOp = TraitCond['op'];
export type CmpOp = Cmp['op'];

export type SegmentList = Json<paths['/admin/segments']['get']['responses'][200]>;
export type Segment = Json<paths['/admin/segments/{id}']['get']['responses'][200]>;
export type SegmentBody = NonNullable<
  paths['/admin/segments']['post']['requestBody']
>['content']['application/json'];
export type Preview = Json<paths['/admin/segments/preview']['post']['responses'][200]>;
export type TraitList = Json<paths['/admin/computed-traits']['get']['responses'][200]>;
export type ComputedTrait = TraitList['data'][number];
export type Definition = components['schemas']['ComputedTraitDefinition'];
export type DefinitionKind = Definition['kind'];

export const VALUE_OPS: readonly ValueOp[] = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'exists',
  'in',
];
export const CMP_OPS: readonly CmpOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'];
export const LEAF_KINDS = [
  'trait',
  'computedTrait',
  'event',
  'orders',
  'channelMix',
  'loyalty',
  'consent',
  'geo',
  'cart',
  'stockRisk',
] as const;
export type LeafKind = (typeof LEAF_KINDS)[number];
export const DEFINITION_KINDS: readonly DefinitionKind[] = [
  'order_count',
  'total_spent',
  'event_count',
  'last_event_days',
  'last_visit_days',
  'favourite_category',
  'preferred_store',
  'channels_used',
  'open_cart_value',
  'items_at_risk',
  'rfm',
];
export const RISK_WHERE: readonly RiskWhere[] = ['cart', 'preferredStore', 'anywhere'];
/** Days ahead a stock-out risk looks when none is given, and the most it takes (rules.ts RiskDays). */
export const DEFAULT_RISK_DAYS = 14;
export const MAX_RISK_DAYS = 90;
/** A number of days for a stock-out risk: whole, from 0 (the run's day) to 90. */
export const riskDays = (n: number): number => Math.min(MAX_RISK_DAYS, Math.max(0, Math.round(n)));
/** The deepest nesting the API takes (rules.ts MAX_DEPTH). */
export const MAX_DEPTH = 6;

export const segmentKeys = {
  all: ['segments'] as const,
  list: (archived: boolean) => ['segments', 'list', archived] as const,
  one: (id: string) => ['segments', id] as const,
  members: (id: string, cursor: string | undefined) => ['segments', id, 'members', cursor] as const,
  sizes: (id: string) => ['segments', id, 'sizes'] as const,
  preview: (rules: string) => ['segments', 'preview', rules] as const,
  traits: ['computed-traits'] as const,
};

/** A condition as the API wants it when added: the smallest that means something. */
export const newLeaf = (kind: LeafKind): Rules => {
  switch (kind) {
    case 'trait':
      return { trait: { key: '', op: 'eq', value: '' } };
    case 'computedTrait':
      return { computedTrait: { key: '', op: 'gte', value: 1 } };
    case 'event':
      return { event: { name: '', within: { days: 30 } } };
    case 'orders':
      return { orders: { count: { op: 'gte', value: 1 }, within: { days: 90 } } };
    case 'channelMix':
      return { channelMix: { online: true, inStore: true } };
    case 'loyalty':
      return { loyalty: { enrolled: true } };
    case 'consent':
      return { consent: { reachable: 'email' } };
    case 'geo':
      return { geo: { withinKm: { km: 10 } } };
    case 'cart':
      return { cart: { open: true } };
    case 'stockRisk':
      return { stockRisk: { where: 'cart', days: DEFAULT_RISK_DAYS } };
  }
};

/** The kind of a leaf node, or undefined for a group (all / any / not). */
export const leafKind = (node: Rules): LeafKind | undefined => LEAF_KINDS.find((k) => k in node);

/** `true`, `false` and numbers as such; everything else as text. */
export const parseScalar = (s: string): string | number | boolean => {
  const t = s.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t !== '' && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return s;
};

export const scalarText = (v: unknown): string =>
  Array.isArray(v) ? v.map((x) => String(x)).join(', ') : v === undefined || v === null ? '' : String(v);
