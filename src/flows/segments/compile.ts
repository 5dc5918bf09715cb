/**
 * Compiles a segment's rule tree (rules.ts, docs/segments.md) into ONE parameterised SELECT of the
 * ids of the live customers who match. Every value of the rules, names and keys included, is a
 * query parameter: the SQL text is made only of this file's fragments, so no rule can change it.
 *
 * Shape: `SELECT c.id AS customer_id FROM customers c LEFT JOIN (aggregate) a1 … WHERE <segmentable>
 * AND <tree>`. Conditions that count or sum (events, orders, channel mix) are one aggregate each,
 * grouped by customer and joined once (one row per customer, so the ids are distinct and a count
 * that zero satisfies, `didNot`, or a `not` around them work without anti-joins); the others are
 * EXISTS tests on the customer's own rows. When the root conjunction also has parts without an
 * aggregate (or `customerIds` is given), those select the candidates first (CTE `cand`): the
 * order aggregates probe `orders_customer_placed` for the candidates only, and the event aggregates
 * read `events_name_time` (event, timestamp) INCLUDE (customer_id) hash-joined to the candidates
 * (or limited to `customerIds`), so only candidates' rows are grouped.
 */
import { RESTRICTION_MATRIX } from '../../modules/customers/index.ts';
import { PlazaError } from '../../platform/errors.ts';
import { compileLeaf } from './compile-leaves.ts';
import { rulesProblems, type SegmentRules, type ValueOp, type Window } from './rules.ts';

/** Collects query parameters; `add` answers the placeholder (with an optional cast). */
export class SqlParams {
  readonly values: unknown[] = [];
  add(v: unknown, cast = ''): string {
    this.values.push(v);
    return `$${this.values.length}${cast}`;
  }
}

/** What a leaf compiles to: a boolean SQL expression over `c`, and the aggregates it joins. */
export interface Compiled {
  where: string;
}

/** The compilation under way: parameters, joined aggregates, the placeholders of now and customerIds. */
export interface Ctx {
  p: SqlParams;
  /** Placeholder of the evaluation instant (added at its first use: an unused one has no type). */
  readonly now: string;
  /**
   * True when the query first narrows the customers to the CTE `cand` (the ones given, and those
   * passing the conditions that need no aggregate): every aggregate is then limited to them.
   */
  narrowed: boolean;
  /** Placeholder of the customer ids the evaluation is limited to, if any. */
  ids: string | null;
  joins: string[];
  /** A fresh alias for a joined aggregate (a1, a2 …). */
  alias(): string;
}

const SAFE_ALIAS = /^[a-z][a-z0-9_]{0,30}$/;

/**
 * The customers that may be in a segment, as an SQL condition on the customers row `alias`: live
 * (not merged into another profile, not erased) and, as the restriction matrix says for `segments`
 * (src/modules/customers/restriction.ts), not restricted. Membership, previews and exports use it.
 */
export const segmentableCustomer = (alias = 'c'): string => {
  if (!SAFE_ALIAS.test(alias)) throw new Error(`not an SQL alias: ${alias}`);
  const restricted =
    RESTRICTION_MATRIX.segments === 'refused' ? ` AND ${alias}.processing_restricted_at IS NULL` : '';
  return `${alias}.status = 'active'${restricted}`;
};

/** The start of a window as SQL (relative windows end at now; `since` is a fixed instant). */
export const windowStart = (w: Window, ctx: Ctx): string => {
  if ('days' in w) return `(${ctx.now} - make_interval(days => ${ctx.p.add(w.days, '::int')}))`;
  if ('hours' in w) return `(${ctx.now} - make_interval(hours => ${ctx.p.add(w.hours, '::int')}))`;
  return ctx.p.add(new Date(w.since), '::timestamptz');
};

/** `col` within the window (from its start to now), or '' without a window. */
export const windowCond = (col: string, w: Window | undefined, ctx: Ctx): string =>
  w ? ` AND ${col} >= ${windowStart(w, ctx)} AND ${col} <= ${ctx.now}` : '';

/** The comparison operators in SQL (never user text: looked up from the validated op). */
export const SQL_CMP = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * A test of a jsonb value `x` (SQL over this file's fragments) against a rule's value:
 * eq / neq / in compare JSON values (42 is not "42"); gt … lte compare numbers with numbers and
 * text with text (anything else does not match); contains is an element of a list or a
 * case-insensitive part of a text; exists is a value that is not null.
 */
export const jsonTest = (x: string, op: ValueOp, value: unknown, ctx: Ctx): string => {
  const { p } = ctx;
  switch (op) {
    case 'exists':
      return `(${x} IS NOT NULL AND jsonb_typeof(${x}) <> 'null')`;
    case 'eq':
      return `(${x} = ${p.add(JSON.stringify(value), '::jsonb')})`;
    case 'neq':
      return `(${x} <> ${p.add(JSON.stringify(value), '::jsonb')})`;
    case 'in':
      return `(${x} IN (SELECT jsonb_array_elements(${p.add(JSON.stringify(value), '::jsonb')})))`;
    case 'contains':
      return `(CASE jsonb_typeof(${x})
        WHEN 'array' THEN ${x} @> jsonb_build_array(${p.add(JSON.stringify(value), '::jsonb')})
        WHEN 'string' THEN strpos(lower(${x} #>> '{}'), lower(${p.add(String(value), '::text')})) > 0
        ELSE false END)`;
    default: {
      const cmp = SQL_CMP[op];
      if (typeof value === 'number')
        return `((CASE WHEN jsonb_typeof(${x}) = 'number' THEN (${x} #>> '{}')::numeric END) ${cmp} ${p.add(String(value), '::numeric')})`;
      return `((CASE WHEN jsonb_typeof(${x}) = 'string' THEN ${x} #>> '{}' END) ${cmp} ${p.add(String(value), '::text')})`;
    }
  }
};

/** `expr op value` for counts and amounts (value a validated number, passed as numeric). */
export const cmpTest = (expr: string, op: keyof typeof SQL_CMP, value: number, ctx: Ctx): string =>
  `(${expr} ${SQL_CMP[op]} ${ctx.p.add(String(value), '::numeric')})`;

const node = (rules: SegmentRules, ctx: Ctx): string => {
  if ('all' in rules) return `(${rules.all.map((r) => node(r, ctx)).join(' AND ')})`;
  if ('any' in rules) return `(${rules.any.map((r) => node(r, ctx)).join(' OR ')})`;
  if ('not' in rules) return `(NOT ${node(rules.not, ctx)})`;
  return compileLeaf(rules, ctx).where;
};

/** The leaves that compile to a joined aggregate (compile-leaves.ts). */
const AGGREGATE_LEAVES = ['event', 'orders', 'channelMix'];

/** True when a rule holds a condition that needs an aggregate. */
const aggregates = (r: SegmentRules): boolean => {
  if ('all' in r) return r.all.some(aggregates);
  if ('any' in r) return r.any.some(aggregates);
  if ('not' in r) return aggregates(r.not);
  return AGGREGATE_LEAVES.some((k) => k in r);
};

/** The parts of a conjunction, nested `all`s flattened (a rule that is not `all` is its only part). */
const conjuncts = (r: SegmentRules): SegmentRules[] => ('all' in r ? r.all.flatMap(conjuncts) : [r]);

export interface CompiledQuery {
  sql: string;
  params: unknown[];
}

/**
 * The SELECT (one column, `customer_id`, distinct) of the segmentable customers matching `rules` at
 * `now`, optionally limited to `customerIds`. Throws VALIDATION_FAILED for a tree the schema
 * accepts but the language does not (too deep, too many conditions, a value that does not fit its
 * operator).
 *
 * When the root is a conjunction (or one condition) and some of its parts need no aggregate (or
 * `customerIds` is given), those parts first select the candidates (CTE `cand`, materialised once)
 * and every aggregate only reads the candidates' rows: a selective trait or consent test keeps an
 * order or event count from grouping every customer's rows.
 */
export const compileRules = (
  rules: SegmentRules,
  opts: { now: Date; customerIds?: readonly string[] },
): CompiledQuery => {
  const problems = rulesProblems(rules, opts.now);
  if (problems.length) {
    throw new PlazaError('VALIDATION_FAILED', `The segment rules are not valid: ${problems[0]?.message}`, {
      errors: problems,
    });
  }
  const p = new SqlParams();
  let n = 0;
  let now: string | undefined;
  const parts = conjuncts(rules);
  const plainRules = parts.filter((r) => !aggregates(r));
  const aggregateRules = parts.filter(aggregates);
  const ctx: Ctx = {
    p,
    get now() {
      now ??= p.add(opts.now, '::timestamptz');
      return now;
    },
    narrowed: aggregateRules.length > 0 && (plainRules.length > 0 || opts.customerIds !== undefined),
    ids: opts.customerIds ? p.add([...opts.customerIds], '::text[]') : null,
    joins: [],
    alias: () => `a${++n}`,
  };
  const base = [segmentableCustomer('c')];
  if (ctx.ids) base.push(`c.id = ANY(${ctx.ids})`);
  const plain = [...base, ...plainRules.map((r) => node(r, ctx))].join('\n  AND ');
  const rest = aggregateRules.map((r) => node(r, ctx)).join('\n  AND ');
  let sql: string;
  if (!aggregateRules.length) sql = `SELECT c.id AS customer_id FROM customers c\nWHERE ${plain}`;
  else if (!ctx.narrowed)
    sql = `SELECT c.id AS customer_id FROM customers c${ctx.joins.join('')}\nWHERE ${plain}\n  AND ${rest}`;
  else
    sql = `WITH cand AS MATERIALIZED (SELECT c.id FROM customers c\nWHERE ${plain})
SELECT c.id AS customer_id FROM cand JOIN customers c ON c.id = cand.id${ctx.joins.join('')}\nWHERE ${rest}`;
  return { sql, params: p.values };
};
