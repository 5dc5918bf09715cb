/**
 * The segment rule language (docs/segments.md): a JSON tree of `all` / `any` / `not` over leaf
 * conditions. Every node is an object with exactly one key naming what it is. The TypeBox schema
 * checks the shape; `checkRules` checks what a schema cannot say (depth, number of conditions, an
 * operator with the right kind of value, a window that is not in the future).
 */
import { type Static, Type } from '@sinclair/typebox';
import { PlazaError } from '../../platform/errors.ts';
import { Id, List, Name, Obj, Str, Timestamp } from '../../platform/http/schemas.ts';

/** The deepest nesting of all/any/not (a leaf directly under the root is depth 1). */
export const MAX_DEPTH = 6;
/** At most this many leaf conditions in one tree. */
export const MAX_CONDITIONS = 50;

const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));

export const VALUE_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists', 'in'] as const;
export type ValueOp = (typeof VALUE_OPS)[number];
export const CMP_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export type CmpOp = (typeof CMP_OPS)[number];

/** A number of a rule, bounded as every request number is (platform/http/input.ts) so that the schema reads the same in requests and answers. */
const Num = () => Type.Number({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER });

type Scalar = string | number | boolean;
const SCALAR_TYPES = ['string', 'number', 'boolean'];
const bounds = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER, maxLength: 1000 };
/**
 * One schema with a list of types, not a union: the API's Ajv coerces types (`coerceTypes: 'array'`),
 * and in a union the first branch would turn `42` into `"42"` or `["gold"]` into `"gold"`; a value
 * of one of the listed types is never coerced.
 */
const Value = Type.Unsafe<Scalar | Scalar[]>({
  type: [...SCALAR_TYPES, 'array'],
  ...bounds,
  items: { type: SCALAR_TYPES, ...bounds },
  minItems: 1,
  maxItems: 200,
  description: 'A string, number or boolean; a list of them for `in`; absent for `exists`',
});

/** A comparison of a value (trait, computed trait, event property) with what the rule gives. */
const ValueTest = {
  op: lit(VALUE_OPS),
  value: Type.Optional(Value),
};

const Cmp = Obj(
  { op: lit(CMP_OPS), value: Num() },
  { description: 'A count or amount compared with `value`' },
);

export const Window = Type.Union(
  [
    Obj({ days: Type.Integer({ minimum: 1, maximum: 3650 }) }),
    Obj({ hours: Type.Integer({ minimum: 1, maximum: 87_600 }) }),
    Obj({ since: Timestamp }),
  ],
  {
    description: 'The last N days or hours before the evaluation, or since a fixed instant',
  },
);
export type Window = Static<typeof Window>;

const Key = Str({ min: 1, max: 200 });
const Ids = (prefix: string) => List(Id(prefix), { min: 1, max: 100 });
const Skus = () => List(Str({ min: 1, max: 100 }), { min: 1, max: 100 });

export const TraitCondition = Obj({ key: Key, ...ValueTest }, { $id: 'SegmentTraitCondition' });
export const ComputedTraitCondition = Obj(
  { key: Key, ...ValueTest },
  { $id: 'SegmentComputedTraitCondition' },
);

export const PropertyFilter = Obj(
  {
    property: Str({ min: 1, max: 200, description: 'A property name; `a.b` reads a nested property' }),
    ...ValueTest,
  },
  { $id: 'SegmentPropertyFilter' },
);

export const EventCondition = Obj(
  {
    name: Str({ min: 1, max: 200, description: 'The event name (track) or page/screen name' }),
    where: Type.Optional(List(PropertyFilter, { max: 10 })),
    count: Type.Optional(Cmp),
    sum: Type.Optional(
      Obj({
        property: Str({ min: 1, max: 200 }),
        op: lit(CMP_OPS),
        value: Num(),
      }),
    ),
    within: Type.Optional(Window),
    didNot: Type.Optional(
      Type.Boolean({ description: 'Matches customers with no such event in the window (the default: ever)' }),
    ),
  },
  { $id: 'SegmentEventCondition' },
);

export const CHANNEL_TYPES = ['web', 'app', 'pos', 'kiosk', 'marketplace', 'social', 'call_center'] as const;

export const OrdersCondition = Obj(
  {
    count: Type.Optional(Cmp),
    revenue: Type.Optional(
      Obj({
        op: lit(CMP_OPS),
        value: Type.Integer({
          minimum: -Number.MAX_SAFE_INTEGER,
          maximum: Number.MAX_SAFE_INTEGER,
          description: 'Minor units',
        }),
        currency: Type.String({ pattern: '^[A-Z]{3}$', minLength: 3, maxLength: 3 }),
      }),
    ),
    channelIds: Type.Optional(Ids('chn')),
    channelTypes: Type.Optional(List(lit(CHANNEL_TYPES), { min: 1, max: 7 })),
    locationIds: Type.Optional(Ids('loc')),
    productIds: Type.Optional(Ids('prod')),
    categoryIds: Type.Optional(Ids('cat')),
    skus: Type.Optional(Skus()),
    within: Type.Optional(Window),
  },
  { $id: 'SegmentOrdersCondition' },
);

export const ChannelMixCondition = Obj(
  {
    online: Type.Optional(Type.Boolean({ description: 'true: bought online; false: never bought online' })),
    inStore: Type.Optional(Type.Boolean({ description: 'true: bought in a store; false: never in a store' })),
    within: Type.Optional(Window),
  },
  { $id: 'SegmentChannelMixCondition', minProperties: 1 },
);

export const LoyaltyCondition = Obj(
  {
    enrolled: Type.Optional(Type.Boolean()),
    tiers: Type.Optional(List(Name(50), { min: 1, max: 10 })),
    points: Type.Optional(Cmp),
  },
  { $id: 'SegmentLoyaltyCondition', minProperties: 1 },
);

export const ConsentCondition = Obj(
  { reachable: lit(['email', 'sms', 'push'] as const) },
  { $id: 'SegmentConsentCondition' },
);

export const GeoCondition = Obj(
  {
    preferredStore: Type.Optional(Ids('loc')),
    withinKm: Type.Optional(
      Obj({
        km: Type.Number({ minimum: 0, maximum: 20_000 }),
        locationIds: Type.Optional(Ids('loc')),
      }),
    ),
  },
  { $id: 'SegmentGeoCondition', minProperties: 1 },
);

export const CartCondition = Obj(
  {
    open: Type.Optional(
      Type.Boolean({ description: 'Has (true, the default) or has not (false) an open cart' }),
    ),
    value: Type.Optional(Cmp),
    itemsInStock: Type.Optional(lit(['all', 'any', 'none'] as const)),
    locationIds: Type.Optional(Ids('loc')),
    updatedWithin: Type.Optional(Window),
    idleFor: Type.Optional(Window),
  },
  { $id: 'SegmentCartCondition' },
);

/** Days ahead a `stockRisk` condition (and the `items_at_risk` computed trait) looks by default. */
export const DEFAULT_RISK_DAYS = 14;
const RISK_WHERE = ['preferredStore', 'cart', 'anywhere'] as const;

export const RiskDays = Type.Integer({
  minimum: 0,
  maximum: 90,
  description: `Projected to run out within this many days of the last forecasting run (0: that day); default ${DEFAULT_RISK_DAYS}`,
});

export const StockRiskCondition = Obj(
  {
    skus: Type.Optional(Skus()),
    productIds: Type.Optional(Ids('prod')),
    days: Type.Optional(RiskDays),
    where: lit(RISK_WHERE),
  },
  {
    $id: 'SegmentStockRiskCondition',
    description:
      'One of these items (the SKUs, and the SKUs of these products) is at risk of a stock-out (stockout_risks, ' +
      'written by each forecasting run) at an active location: the preferred store, a location fulfilling a ' +
      'line of the open cart (`skus`/`productIds` optional there), or anywhere (the same for every customer)',
  },
);

const leaves = {
  trait: TraitCondition,
  computedTrait: ComputedTraitCondition,
  event: EventCondition,
  orders: OrdersCondition,
  channelMix: ChannelMixCondition,
  loyalty: LoyaltyCondition,
  consent: ConsentCondition,
  geo: GeoCondition,
  cart: CartCondition,
  stockRisk: StockRiskCondition,
} as const;
export type LeafKind = keyof typeof leaves;
export const LEAF_KINDS = Object.keys(leaves) as LeafKind[];

export const SegmentRules = Type.Recursive(
  (Self) =>
    Type.Union([
      Obj({ all: List(Self, { min: 1, max: MAX_CONDITIONS }) }),
      Obj({ any: List(Self, { min: 1, max: MAX_CONDITIONS }) }),
      Obj({ not: Self }),
      Obj({ trait: TraitCondition }),
      Obj({ computedTrait: ComputedTraitCondition }),
      Obj({ event: EventCondition }),
      Obj({ orders: OrdersCondition }),
      Obj({ channelMix: ChannelMixCondition }),
      Obj({ loyalty: LoyaltyCondition }),
      Obj({ consent: ConsentCondition }),
      Obj({ geo: GeoCondition }),
      Obj({ cart: CartCondition }),
      Obj({ stockRisk: StockRiskCondition }),
    ]),
  {
    $id: 'SegmentRules',
    description:
      'A rule tree: `{"all": [...]}`, `{"any": [...]}`, `{"not": rule}` or one condition ' +
      '(`trait`, `computedTrait`, `event`, `orders`, `channelMix`, `loyalty`, `consent`, `geo`, `cart`, `stockRisk`); ' +
      `at most ${MAX_DEPTH} levels and ${MAX_CONDITIONS} conditions (docs/segments.md)`,
  },
);

export type TraitCondition = Static<typeof TraitCondition>;
export type PropertyFilter = Static<typeof PropertyFilter>;
export type EventCondition = Static<typeof EventCondition>;
export type OrdersCondition = Static<typeof OrdersCondition>;
export type ChannelMixCondition = Static<typeof ChannelMixCondition>;
export type LoyaltyCondition = Static<typeof LoyaltyCondition>;
export type ConsentCondition = Static<typeof ConsentCondition>;
export type GeoCondition = Static<typeof GeoCondition>;
export type CartCondition = Static<typeof CartCondition>;
export type StockRiskCondition = Static<typeof StockRiskCondition>;
export type Cmp = Static<typeof Cmp>;

export type SegmentRules = Static<typeof SegmentRules>;

interface ValueTestShape {
  op: ValueOp;
  value?: unknown;
}

/** What is wrong with a value test, or null: `in` takes a list, `exists` nothing, the others one value. */
const valueTestProblem = (t: ValueTestShape): string | null => {
  const list = Array.isArray(t.value);
  if (t.op === 'exists') return t.value === undefined ? null : '`exists` takes no value';
  if (t.value === undefined) return `\`${t.op}\` needs a value`;
  if (t.op === 'in') return list ? null : '`in` needs a list of values';
  if (list) return `\`${t.op}\` takes one value, not a list (use \`in\`)`;
  if (['gt', 'gte', 'lt', 'lte'].includes(t.op) && typeof t.value === 'boolean')
    return `\`${t.op}\` compares numbers or text, not booleans`;
  return null;
};

export interface RuleProblem {
  path: string;
  message: string;
}

/**
 * The problems of a tree the schema cannot see: nesting deeper than MAX_DEPTH, more than
 * MAX_CONDITIONS leaves, operators with the wrong kind of value, windows in the future, and
 * conditions that say nothing. `at` is the evaluation time.
 */
export const rulesProblems = (rules: SegmentRules, at: Date, base = 'rules'): RuleProblem[] => {
  const problems: RuleProblem[] = [];
  let leavesSeen = 0;
  const window = (w: Window | undefined, path: string) => {
    if (w && 'since' in w && !(new Date(w.since).getTime() <= at.getTime()))
      problems.push({ path, message: '`since` must be a past instant' });
  };
  const walk = (node: SegmentRules, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) {
      problems.push({ path, message: `rules nest at most ${MAX_DEPTH} levels deep` });
      return;
    }
    if ('all' in node) for (const [i, n] of node.all.entries()) walk(n, `${path}.all.${i}`, depth + 1);
    else if ('any' in node) for (const [i, n] of node.any.entries()) walk(n, `${path}.any.${i}`, depth + 1);
    else if ('not' in node) walk(node.not, `${path}.not`, depth + 1);
    else {
      leavesSeen++;
      leafProblems(node, path, problems, window);
    }
  };
  walk(rules, base, 1);
  if (leavesSeen > MAX_CONDITIONS)
    problems.push({ path: base, message: `a segment has at most ${MAX_CONDITIONS} conditions` });
  return problems;
};

const leafProblems = (
  node: SegmentRules,
  path: string,
  problems: RuleProblem[],
  window: (w: Window | undefined, path: string) => void,
) => {
  const add = (p: string, message: string | null) => {
    if (message) problems.push({ path: p, message });
  };
  if ('trait' in node) add(`${path}.trait`, valueTestProblem(node.trait));
  else if ('computedTrait' in node) add(`${path}.computedTrait`, valueTestProblem(node.computedTrait));
  else if ('event' in node) {
    const e = node.event;
    for (const [i, f] of (e.where ?? []).entries()) add(`${path}.event.where.${i}`, valueTestProblem(f));
    if (e.didNot && (e.count || e.sum))
      add(`${path}.event`, '`didNot` cannot be combined with `count` or `sum`');
    if (e.count && e.sum) add(`${path}.event`, 'give `count` or `sum`, not both');
    window(e.within, `${path}.event.within.since`);
  } else if ('orders' in node) {
    window(node.orders.within, `${path}.orders.within.since`);
    if (node.orders.revenue && node.orders.count)
      add(`${path}.orders`, 'give `count` or `revenue`, not both (use `all` to combine them)');
  } else if ('channelMix' in node) {
    const m = node.channelMix;
    if (m.online === undefined && m.inStore === undefined)
      add(`${path}.channelMix`, 'say `online`, `inStore` or both');
    window(m.within, `${path}.channelMix.within.since`);
  } else if ('cart' in node) {
    const c = node.cart;
    if (c.open === false && (c.value || c.itemsInStock || c.updatedWithin || c.idleFor || c.locationIds))
      add(`${path}.cart`, 'a cart that is not open has no value, items or activity to test');
    if (c.locationIds && !c.itemsInStock)
      add(`${path}.cart.locationIds`, '`locationIds` goes with `itemsInStock`');
    window(c.updatedWithin, `${path}.cart.updatedWithin.since`);
    window(c.idleFor, `${path}.cart.idleFor.since`);
  } else if ('geo' in node) {
    if (!node.geo.preferredStore && !node.geo.withinKm)
      add(`${path}.geo`, 'say `preferredStore` or `withinKm`');
  } else if ('stockRisk' in node) {
    const r = node.stockRisk;
    if (r.where !== 'cart' && !r.skus && !r.productIds)
      add(
        `${path}.stockRisk`,
        `\`where: "${r.where}"\` needs \`skus\` or \`productIds\` (only \`cart\` may leave both out)`,
      );
  }
};

/** Throws VALIDATION_FAILED (400) listing every problem of the tree (paths under `base`). */
export const assertRules = (rules: SegmentRules, at: Date, base = 'body.rules'): void => {
  const problems = rulesProblems(rules, at, base);
  if (problems.length)
    throw new PlazaError('VALIDATION_FAILED', `The segment rules are not valid: ${problems[0]?.message}`, {
      errors: problems,
    });
};
