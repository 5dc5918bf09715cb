/**
 * Multi-touch attribution: who gets the credit for a conversion among the touches (e-mails, ads,
 * visits… keyed by a medium or a campaign id) that came before it. Rule models (first touch, last
 * touch, linear, position based 40/20/40, time decay) share each conversion among its own touches;
 * the data-driven model is a first-order Markov chain over every journey, converted or not, and
 * shares by removal effect. Pure: no database, no clock. Values are integer minor units and are split
 * by largest remainder, so the credited value always sums to the converted value exactly.
 */

/** One touch of a journey: `key` is what gets the credit (a medium or a campaign id, the caller's choice). */
export interface Touch {
  key: string;
  at: Date;
}

/**
 * A customer's path: its touches (oldest first, sorted again here anyway), whether it converted, the
 * order revenue in integer minor units (0 when not converted) and the conversion time (required when
 * converted; time decay falls back on the latest touch when it is missing).
 */
export interface Journey {
  touches: readonly Touch[];
  converted: boolean;
  value: number;
  at?: Date;
  /** How many identical journeys this one stands for (aggregated paths; default 1); `value` is their total. */
  count?: number;
}

export type RuleModel = 'first_touch' | 'last_touch' | 'linear' | 'position_based' | 'time_decay';
export type Model = RuleModel | 'data_driven';

/** What a key earned: fractional conversions, integer minor units of value. */
export interface Credit {
  key: string;
  conversions: number;
  value: number;
}

export interface AttributionOptions {
  /** Time decay: a touch this many hours older than another weighs half as much. */
  halfLifeHours: number;
}

export const DEFAULTS: AttributionOptions = { halfLifeHours: 168 };

export const RULE_MODELS: readonly RuleModel[] = [
  'first_touch',
  'last_touch',
  'linear',
  'position_based',
  'time_decay',
];

const HOUR_MS = 3_600_000;

/** Indexes of `touches` ordered by time, ties kept in the order given (Array.prototype.sort is stable). */
function chronological(touches: readonly Touch[]): number[] {
  return touches.map((_, i) => i).sort((a, b) => touchTime(touches, a) - touchTime(touches, b));
}

function touchTime(touches: readonly Touch[], i: number): number {
  return touches[i]?.at.getTime() ?? 0;
}

/** Fractions of one conversion by position in the chronological path (length n ≥ 1). */
function positionalWeights(model: Exclude<RuleModel, 'time_decay'>, n: number): number[] {
  const w = new Array<number>(n).fill(0);
  if (model === 'first_touch') w[0] = 1;
  else if (model === 'last_touch') w[n - 1] = 1;
  else if (model === 'linear') w.fill(1 / n);
  else if (n === 1) w[0] = 1;
  else if (n === 2) w.fill(0.5);
  else {
    w.fill(0.2 / (n - 2));
    w[0] = 0.4;
    w[n - 1] = 0.4;
  }
  return w;
}

/**
 * The fraction of one conversion each touch earns, aligned with `touches` as given (weights[i] belongs
 * to touches[i]); positions (first, last, middle) are taken in time order, ties in the order given.
 * Sums to 1; no touches gives []. Time decay: 2^(−age/half-life), age = conversion time − touch time in
 * hours, a touch after the conversion counting as age 0; normalised against the youngest touch so that
 * very old paths do not underflow to 0/0.
 */
export function weights(
  model: RuleModel,
  touches: readonly Touch[],
  conversionAt: Date,
  opts: AttributionOptions = DEFAULTS,
): number[] {
  const n = touches.length;
  if (n === 0) return [];
  if (model === 'time_decay') {
    const halfLife = opts.halfLifeHours;
    if (!(halfLife > 0) || !Number.isFinite(halfLife)) {
      throw new RangeError(`halfLifeHours must be a positive number, got ${halfLife}`);
    }
    const conv = conversionAt.getTime();
    const ages = touches.map((t) => Math.max(0, conv - t.at.getTime()) / HOUR_MS);
    const youngest = Math.min(...ages);
    const raw = ages.map((age) => 2 ** (-(age - youngest) / halfLife));
    const sum = raw.reduce((s, x) => s + x, 0);
    return raw.map((x) => x / sum);
  }
  const byPosition = positionalWeights(model, n);
  const out = new Array<number>(n).fill(0);
  chronological(touches).forEach((touchIndex, position) => {
    out[touchIndex] = byPosition[position] ?? 0;
  });
  return out;
}

/**
 * Splits `value` (an integer, minor units) in proportion to `fractions` by largest remainder: every
 * part is the floor of its exact share, and the units left over go to the largest remainders, earlier
 * index first on a tie. The parts sum to `value` exactly. Fractions need not sum to 1 (they are
 * normalised) but must be ≥ 0 with a positive sum; a negative value is split like its absolute value.
 */
export function splitValue(value: number, fractions: readonly number[]): number[] {
  if (!Number.isSafeInteger(value)) throw new RangeError(`value must be an integer, got ${value}`);
  if (fractions.length === 0) return [];
  if (fractions.some((f) => !(f >= 0) || !Number.isFinite(f))) {
    throw new RangeError('fractions must be finite and non-negative');
  }
  const total = fractions.reduce((s, f) => s + f, 0);
  if (!(total > 0)) throw new RangeError('fractions must have a positive sum');
  if (value < 0) return splitValue(-value, fractions).map((p) => (p === 0 ? 0 : -p));
  const exact = fractions.map((f) => (value * f) / total);
  // The 1e-9 nudge keeps 28.999999999999996 (0.29 × 100) from flooring to 28; Σ floors stays ≤ value.
  const parts = exact.map((x) => Math.floor(x + 1e-9));
  const remainders = exact.map((x, i) => Math.max(0, x - (parts[i] ?? 0)));
  let left = value - parts.reduce((s, p) => s + p, 0);
  const order = remainders
    .map((_, i) => i)
    .sort((a, b) => {
      const d = (remainders[b] ?? 0) - (remainders[a] ?? 0);
      return Math.abs(d) > 1e-9 ? d : a - b;
    });
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const i = order[k] ?? 0;
    parts[i] = (parts[i] ?? 0) + 1;
  }
  return parts;
}

function byValueThenKey(a: Credit, b: Credit): number {
  if (a.value !== b.value) return b.value - a.value;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function latestTouch(touches: readonly Touch[]): Date {
  return new Date(Math.max(...touches.map((t) => t.at.getTime())));
}

/**
 * Credits per key under a rule model, over the converted journeys that have at least one touch
 * (journeys without touches are credited to nothing: the caller reports them as direct). Only keys
 * that earned something are listed (last touch does not list the first touches at 0). Credited
 * conversions sum to the number of those journeys and credited value to their value, exactly.
 * Sorted by value, highest first, then key.
 */
export function attributeRule(
  model: RuleModel,
  journeys: readonly Journey[],
  opts: AttributionOptions = DEFAULTS,
): Credit[] {
  const credits = new Map<string, Credit>();
  for (const j of journeys) {
    if (!j.converted || j.touches.length === 0) continue;
    const w = weights(model, j.touches, j.at ?? latestTouch(j.touches), opts);
    const parts = splitValue(j.value, w);
    j.touches.forEach((t, i) => {
      if (w[i] === 0 && parts[i] === 0) return; // a key listed only when it earned something
      const c = credits.get(t.key) ?? { key: t.key, conversions: 0, value: 0 };
      c.conversions += w[i] ?? 0;
      c.value += parts[i] ?? 0;
      credits.set(t.key, c);
    });
  }
  return [...credits.values()].sort(byValueThenKey);
}

// ---------------------------------------------------------------------------------------------------
// Data-driven: first-order Markov chain, removal effect.

/** Reserved states of the chain; NUL-prefixed so that no caller's key can be mistaken for one. */
export const START = '\u0000start';
export const CONVERSION = '\u0000conversion';
export const NULL = '\u0000null';

/** Observed transition counts: from-state → to-state → count. */
export type Transitions = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * The chain's transition counts: each journey with at least one touch adds start → t1 → … → tn →
 * (conversion | null), touches in time order. A key repeated in a row (email → email) is kept as a
 * self-loop, not merged: a second touch is evidence the chain should see, and the exact solve below
 * handles loops. Journeys without touches are left out, as in the rule models (they are direct, with
 * no key to credit; leaving them in would only scale every removal effect down, not change the shares).
 */
export function transitions(journeys: readonly Journey[]): Transitions {
  const counts = new Map<string, Map<string, number>>();
  const add = (from: string, to: string, n: number): void => {
    const row = counts.get(from) ?? new Map<string, number>();
    row.set(to, (row.get(to) ?? 0) + n);
    counts.set(from, row);
  };
  for (const j of journeys) {
    if (j.touches.length === 0) continue;
    const n = j.count ?? 1;
    let from = START;
    for (const i of chronological(j.touches)) {
      const key = j.touches[i]?.key ?? '';
      add(from, key, n);
      from = key;
    }
    add(from, j.converted ? CONVERSION : NULL, n);
  }
  return counts;
}

/** Solves a·x = b in place by Gaussian elimination with partial pivoting; a is n×n, non-singular. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    }
    const pivotRow = a[pivot] ?? [];
    const p = pivotRow[col] ?? 0;
    if (Math.abs(p) < 1e-15) throw new Error('attribution: singular Markov system');
    [a[col], a[pivot]] = [pivotRow, a[col] ?? []];
    [b[col], b[pivot]] = [b[pivot] ?? 0, b[col] ?? 0];
    for (let r = col + 1; r < n; r++) {
      const row = a[r] ?? [];
      const f = (row[col] ?? 0) / p;
      if (f === 0) continue;
      for (let c = col; c < n; c++) row[c] = (row[c] ?? 0) - f * (pivotRow[c] ?? 0);
      b[r] = (b[r] ?? 0) - f * (b[col] ?? 0);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = a[r] ?? [];
    let s = b[r] ?? 0;
    for (let c = r + 1; c < n; c++) s -= (row[c] ?? 0) * (x[c] ?? 0);
    x[r] = s / (row[r] ?? 1);
  }
  return x;
}

/**
 * Probability of reaching conversion from start, solved exactly over the transient states (start and
 * the keys): x_s = Σ_t P(s→t)·x_t + P(s→conversion), i.e. (I − Q)·x = b. With `removed`, every
 * transition into that key goes to null instead (x_removed = 0). Every state seen has a path to
 * absorption (its journey's own continuation), so I − Q is non-singular; a state with no outgoing
 * transition (start, when there is no journey) is taken as going to null.
 */
export function conversionProbability(t: Transitions, removed?: string): number {
  const states = new Set<string>([START]);
  for (const [from, row] of t) {
    states.add(from);
    for (const to of row.keys()) if (to !== CONVERSION && to !== NULL) states.add(to);
  }
  const list = [...states];
  const index = new Map(list.map((s, i) => [s, i]));
  const n = list.length;
  const a = list.map((_, i) => {
    const row = new Array<number>(n).fill(0);
    row[i] = 1;
    return row;
  });
  const b = new Array<number>(n).fill(0);
  list.forEach((from, i) => {
    const row = t.get(from);
    if (from === removed || row === undefined) return;
    const total = [...row.values()].reduce((s, c) => s + c, 0);
    if (total <= 0) return;
    const ai = a[i] ?? [];
    for (const [to, count] of row) {
      const p = count / total;
      if (to === CONVERSION) b[i] = (b[i] ?? 0) + p;
      else if (to === NULL || to === removed) continue;
      else {
        const j = index.get(to) ?? i;
        ai[j] = (ai[j] ?? 0) - p;
      }
    }
  });
  const x = solve(a, b);
  return Math.min(1, Math.max(0, x[index.get(START) ?? 0] ?? 0));
}

/** Keys seen on journeys with at least one touch, in order of first appearance. */
function keysOf(journeys: readonly Journey[]): string[] {
  const keys = new Set<string>();
  for (const j of journeys) for (const t of j.touches) keys.add(t.key);
  return [...keys];
}

/**
 * Removal effect of every key: 1 − P(conversion without the key) / P(conversion), in [0, 1]. Effects
 * below 1e-12 (float noise) are 0. All 0 when nothing converts. Note: a key seen only on non-converting
 * journeys still gets an effect when its journeys lead on to keys that convert elsewhere.
 */
export function removalEffects(journeys: readonly Journey[]): Map<string, number> {
  const t = transitions(journeys);
  const base = conversionProbability(t);
  const effects = new Map<string, number>();
  for (const key of keysOf(journeys)) {
    const effect = base > 0 ? 1 - conversionProbability(t, key) / base : 0;
    effects.set(key, effect < 1e-12 ? 0 : Math.min(1, effect));
  }
  return effects;
}

/**
 * Data-driven credits: the converted journeys that have at least one touch, and their total value,
 * shared among every key seen in proportion to its removal effect (value split by largest remainder,
 * so it sums exactly). Keys with no effect are listed with zero credit; so is every key when nothing
 * converts. Sorted by value, highest first, then key. Cost: one dense solve per key, O(keys⁴) in all,
 * meant for media or campaigns (tens to a few hundred keys), not for individual ads by the thousand.
 */
export function attributeMarkov(journeys: readonly Journey[]): Credit[] {
  const effects = removalEffects(journeys);
  const keys = [...effects.keys()];
  let conversions = 0;
  let value = 0;
  for (const j of journeys) {
    if (!j.converted || j.touches.length === 0) continue;
    conversions += j.count ?? 1;
    value += j.value;
  }
  const sum = keys.reduce((s, k) => s + (effects.get(k) ?? 0), 0);
  if (!(sum > 0)) return keys.map((key) => ({ key, conversions: 0, value: 0 })).sort(byValueThenKey);
  const shares = keys.map((k) => (effects.get(k) ?? 0) / sum);
  const parts = splitValue(value, shares);
  return keys
    .map((key, i) => ({ key, conversions: conversions * (shares[i] ?? 0), value: parts[i] ?? 0 }))
    .sort(byValueThenKey);
}

/** Every model at once, for a side-by-side report. */
export function attributeAll(
  journeys: readonly Journey[],
  opts: AttributionOptions = DEFAULTS,
): Record<Model, Credit[]> {
  return {
    first_touch: attributeRule('first_touch', journeys, opts),
    last_touch: attributeRule('last_touch', journeys, opts),
    linear: attributeRule('linear', journeys, opts),
    position_based: attributeRule('position_based', journeys, opts),
    time_decay: attributeRule('time_decay', journeys, opts),
    data_driven: attributeMarkov(journeys),
  };
}
