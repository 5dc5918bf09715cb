/** Attribution models on hand-computed paths: the rule models, the exact value split, the Markov chain. */

import { describe, expect, it } from 'vitest';
import { prng } from '../demo/history-plan.ts';
import {
  attributeAll,
  attributeMarkov,
  attributeRule,
  CONVERSION,
  type Credit,
  conversionProbability,
  type Journey,
  NULL,
  RULE_MODELS,
  type RuleModel,
  removalEffects,
  START,
  splitValue,
  type Touch,
  transitions,
  weights,
} from './attribution.ts';

const T = new Date('2024-03-01T12:00:00Z');
const HOUR = 3_600_000;
/** A touch `hours` before the conversion time T (negative: after it). */
const touch = (key: string, hours: number): Touch => ({ key, at: new Date(T.getTime() - hours * HOUR) });
/** A path of keys one hour apart, the last one an hour before T. */
const path = (...keys: string[]): Touch[] => keys.map((k, i) => touch(k, keys.length - i));
const converted = (touches: Touch[], value: number): Journey => ({ touches, converted: true, value, at: T });
const lost = (touches: Touch[]): Journey => ({ touches, converted: false, value: 0 });

const close = (actual: number[], expected: number[]): void => {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((e, i) => {
    expect(actual[i], `index ${i}`).toBeCloseTo(e, 12);
  });
};
const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
/** "key value, key value…" in the order given, to compare a ranking at a glance. */
const values = (credits: readonly Credit[]): string => credits.map((c) => `${c.key} ${c.value}`).join(', ');
const conversions = (credits: readonly Credit[]): number[] => credits.map((c) => c.conversions);
const totals = (credits: readonly Credit[]) => ({
  conversions: sum(credits.map((c) => c.conversions)),
  value: sum(credits.map((c) => c.value)),
});

describe('weights: the rule models on paths of 1, 2, 3 and 5 touches', () => {
  const paths = [1, 2, 3, 5].map((n) => path(...Array.from({ length: n }, (_, i) => `k${i}`)));
  const expected: Record<Exclude<RuleModel, 'time_decay'>, number[][]> = {
    first_touch: [[1], [1, 0], [1, 0, 0], [1, 0, 0, 0, 0]],
    last_touch: [[1], [0, 1], [0, 0, 1], [0, 0, 0, 0, 1]],
    linear: [[1], [0.5, 0.5], [1 / 3, 1 / 3, 1 / 3], [0.2, 0.2, 0.2, 0.2, 0.2]],
    position_based: [[1], [0.5, 0.5], [0.4, 0.2, 0.4], [0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4]],
  };
  for (const [model, rows] of Object.entries(expected)) {
    it(`${model}`, () => {
      paths.forEach((p, i) => {
        close(weights(model as RuleModel, p, T), rows[i] ?? []);
      });
    });
  }

  it('time_decay, half-life 24 h: each day older weighs half', () => {
    const opts = { halfLifeHours: 24 };
    close(weights('time_decay', [touch('a', 5)], T, opts), [1]);
    // 24 h and 0 h: raw 0.5 and 1 → 1/3, 2/3
    close(weights('time_decay', [touch('a', 24), touch('b', 0)], T, opts), [1 / 3, 2 / 3]);
    // 48 h, 24 h, 0 h: raw 0.25, 0.5, 1 (sum 1.75) → 1/7, 2/7, 4/7
    close(weights('time_decay', [touch('a', 48), touch('b', 24), touch('c', 0)], T, opts), [
      1 / 7,
      2 / 7,
      4 / 7,
    ]);
    // 96 … 0 h: raw 1/16, 1/8, 1/4, 1/2, 1 (sum 31/16) → 1/31, 2/31, 4/31, 8/31, 16/31
    const five = [96, 72, 48, 24, 0].map((h, i) => touch(`k${i}`, h));
    close(weights('time_decay', five, T, opts), [1 / 31, 2 / 31, 4 / 31, 8 / 31, 16 / 31]);
  });

  it('time_decay defaults to a half-life of 7 days', () => {
    close(weights('time_decay', [touch('a', 168), touch('b', 0)], T), [1 / 3, 2 / 3]);
  });

  it('time_decay counts a touch after the conversion as age 0, and old paths do not underflow', () => {
    const opts = { halfLifeHours: 24 };
    close(weights('time_decay', [touch('a', 24), touch('b', -10)], T, opts), [1 / 3, 2 / 3]);
    // 2^(−100000/24) is 0 in floating point; normalised against the youngest touch it is 1/3, 2/3.
    close(weights('time_decay', [touch('a', 100_024), touch('b', 100_000)], T, opts), [1 / 3, 2 / 3]);
  });

  it('takes positions in time order and answers in the order given', () => {
    const shuffled = [touch('last', 1), touch('first', 30), touch('middle', 10)];
    close(weights('first_touch', shuffled, T), [0, 1, 0]);
    close(weights('last_touch', shuffled, T), [1, 0, 0]);
    close(weights('position_based', shuffled, T), [0.4, 0.4, 0.2]);
    close(weights('time_decay', shuffled, T, { halfLifeHours: 1 }), [
      1 / (1 + 2 ** -9 + 2 ** -29),
      2 ** -29 / (1 + 2 ** -9 + 2 ** -29),
      2 ** -9 / (1 + 2 ** -9 + 2 ** -29),
    ]);
  });

  it('keeps touches at the same time in the order given (stable)', () => {
    const same = [touch('a', 3), touch('b', 3)];
    close(weights('first_touch', same, T), [1, 0]);
    close(weights('last_touch', same, T), [0, 1]);
  });

  it('gives nothing for no touches and refuses a half-life that is not positive', () => {
    for (const model of RULE_MODELS) expect(weights(model, [], T)).toEqual([]);
    expect(() => weights('time_decay', path('a'), T, { halfLifeHours: 0 })).toThrow(RangeError);
    expect(() => weights('time_decay', path('a'), T, { halfLifeHours: Number.NaN })).toThrow(RangeError);
  });

  it('sums to 1 for every model and length', () => {
    for (const model of RULE_MODELS) {
      for (let n = 1; n <= 12; n++) {
        const touches = Array.from({ length: n }, (_, i) => touch(`k${i}`, (n - i) * 7));
        expect(sum(weights(model, touches, T)), `${model} ${n}`).toBeCloseTo(1, 12);
      }
    }
  });
});

describe('splitValue: integer minor units by largest remainder', () => {
  it('splits 1000 in thirds as 334, 333, 333', () => {
    expect(splitValue(1000, [1 / 3, 1 / 3, 1 / 3])).toEqual([334, 333, 333]);
  });

  it('gives the left-over units to the largest remainders, earlier index first on a tie', () => {
    expect(splitValue(1, [0.5, 0.5])).toEqual([1, 0]);
    expect(splitValue(5, [0.5, 0.5])).toEqual([3, 2]);
    expect(splitValue(10, [0.15, 0.15, 0.7])).toEqual([2, 1, 7]); // 1.5, 1.5, 7
    expect(splitValue(10, [0.1, 0.25, 0.65])).toEqual([1, 3, 6]); // 1, 2.5, 6.5: tie → index 1
    expect(splitValue(100, [0.29, 0.71])).toEqual([29, 71]); // 0.29 × 100 is 28.999999999999996
  });

  it('normalises fractions, splits 0 and negative values, and refuses what it cannot split', () => {
    expect(splitValue(100, [1, 1, 2])).toEqual([25, 25, 50]);
    expect(splitValue(0, [0.2, 0.8])).toEqual([0, 0]);
    expect(splitValue(-1000, [1 / 3, 1 / 3, 1 / 3])).toEqual([-334, -333, -333]);
    expect(splitValue(7, [])).toEqual([]);
    expect(() => splitValue(10.5, [1])).toThrow(RangeError);
    expect(() => splitValue(10, [0, 0])).toThrow(RangeError);
    expect(() => splitValue(10, [-1, 2])).toThrow(RangeError);
  });

  it('sums exactly, each part within one unit of its exact share (seeded random cases)', () => {
    const rnd = prng(20240301);
    const wrong: string[] = [];
    for (let k = 0; k < 2000; k++) {
      const value = Math.floor(rnd() * 10_000_000);
      const n = 1 + Math.floor(rnd() * 9);
      const raw = Array.from({ length: n }, () => (rnd() < 0.2 ? 0 : rnd()));
      if (sum(raw) === 0) raw[0] = 1;
      const fractions = raw.map((x) => x / sum(raw));
      const parts = splitValue(value, fractions);
      const far = parts.some(
        (p, i) => !Number.isInteger(p) || Math.abs(p - value * (fractions[i] ?? 0)) >= 1,
      );
      if (sum(parts) !== value || far)
        wrong.push(`${value} over ${fractions.join(', ')} → ${parts.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('attributeRule: credits per key over converted journeys', () => {
  const journeys: Journey[] = [
    converted([touch('email', 72), touch('social', 48), touch('search', 0)], 1000),
    converted([touch('search', 24)], 500),
    lost([touch('email', 10), touch('email', 5)]),
    converted([], 300), // direct: credited to nothing
    converted([touch('social', 2), touch('email', 1)], 101),
  ];

  it('first touch and last touch', () => {
    expect(attributeRule('first_touch', journeys)).toEqual([
      { key: 'email', conversions: 1, value: 1000 },
      { key: 'search', conversions: 1, value: 500 },
      { key: 'social', conversions: 1, value: 101 },
    ]);
    expect(attributeRule('last_touch', journeys)).toEqual([
      { key: 'search', conversions: 2, value: 1500 },
      { key: 'email', conversions: 1, value: 101 },
    ]);
  });

  it('linear: 1000 → 334/333/333, 101 → 51/50; a tie on value is ordered by key', () => {
    const credits = attributeRule('linear', journeys);
    expect(values(credits)).toBe('search 833, email 384, social 384');
    expect(credits[0]?.conversions).toBeCloseTo(4 / 3, 12);
    expect(credits[1]?.conversions).toBeCloseTo(1 / 3 + 1 / 2, 12);
    expect(credits[2]?.conversions).toBeCloseTo(1 / 3 + 1 / 2, 12);
  });

  it('position based: 400/200/400, then 51/50', () => {
    const credits = attributeRule('position_based', journeys);
    expect(values(credits)).toBe('search 900, email 450, social 251');
    close(conversions(credits), [1.4, 0.9, 0.7]);
  });

  it('time decay, half-life 24 h', () => {
    // Journey 1, ages 72/48/0 h: raw 1/8, 1/4, 1 → 1/11, 2/11, 8/11 of 1000 = 90.9, 181.8, 727.3
    //   → floors 90, 181, 727 (998), the 2 left to the largest remainders: 91, 182, 727.
    // Journey 5, ages 2/1 h: social 2^(−1/24)/(1 + 2^(−1/24)) = 0.49277…, email 0.50722… of 101
    //   = 49.77, 51.23 → floors 49, 51, the 1 left to social: 50, 51.
    const s = 2 ** (-1 / 24) / (1 + 2 ** (-1 / 24));
    const credits = attributeRule('time_decay', journeys, { halfLifeHours: 24 });
    expect(values(credits)).toBe('search 1227, social 232, email 142');
    close(conversions(credits), [8 / 11 + 1, 2 / 11 + s, 1 / 11 + 1 - s]);
  });

  it('time decay without a conversion time dates the conversion at the latest touch', () => {
    const j: Journey = { touches: [touch('a', 48), touch('b', 24)], converted: true, value: 300 };
    const credits = attributeRule('time_decay', [j], { halfLifeHours: 24 });
    expect(credits).toEqual([
      { key: 'b', conversions: 2 / 3, value: 200 },
      { key: 'a', conversions: 1 / 3, value: 100 },
    ]);
  });

  it('credits exactly the converted journeys that have touches, for every model (seeded random)', () => {
    const rnd = prng(7);
    const keys = ['email', 'sms', 'search', 'social', 'display', 'push'];
    const many: Journey[] = Array.from({ length: 500 }, () => {
      const n = Math.floor(rnd() * 6);
      const touches = Array.from({ length: n }, () =>
        touch(keys[Math.floor(rnd() * keys.length)] ?? 'email', rnd() * 500),
      );
      const isConverted = rnd() < 0.4;
      return { touches, converted: isConverted, value: isConverted ? Math.floor(rnd() * 50_000) : 0, at: T };
    });
    const counted = many.filter((j) => j.converted && j.touches.length > 0);
    for (const model of RULE_MODELS) {
      const t = totals(attributeRule(model, many));
      expect(t.conversions, model).toBeCloseTo(counted.length, 9);
      expect(t.value, model).toBe(sum(counted.map((j) => j.value)));
    }
  });
});

describe('data-driven: Markov chain removal effect', () => {
  // Sergey Bryl, analyzecore.com 2016, "Marketing Multi-Channel Attribution model with R (part 1:
  // Markov chain concept)": C1 → C2 → C3 → conversion, C1 → null, C2 → C3 → null.
  // Transitions: start → C1 2/3, start → C2 1/3; C1 → C2 1/2, C1 → null 1/2; C2 → C3 1;
  // C3 → conversion 1/2, C3 → null 1/2.
  // P(conv) = 2/3 · 1/2 · 1 · 1/2 + 1/3 · 1 · 1/2 = 1/6 + 1/6 = 1/3.
  // Without C1: only start → C2 → C3 → conversion is left, 1/3 · 1/2 = 1/6 → effect 1 − (1/6)/(1/3) = 0.5.
  // Without C2 (or C3): every converting path passes through it, P = 0 → effect 1.
  // Shares 0.5/2.5 = 0.2, 1/2.5 = 0.4, 0.4; one conversion of 1000 → 200, 400, 400.
  const bryl: Journey[] = [converted(path('C1', 'C2', 'C3'), 1000), lost(path('C1')), lost(path('C2', 'C3'))];

  it('counts the transitions of the published example', () => {
    const t = transitions(bryl);
    expect(Object.fromEntries(t.get(START) ?? [])).toEqual({ C1: 2, C2: 1 });
    expect(Object.fromEntries(t.get('C1') ?? [])).toEqual({ C2: 1, [NULL]: 1 });
    expect(Object.fromEntries(t.get('C2') ?? [])).toEqual({ C3: 2 });
    expect(Object.fromEntries(t.get('C3') ?? [])).toEqual({ [CONVERSION]: 1, [NULL]: 1 });
  });

  it('finds P(conv) = 1/3 and removal effects 0.5, 1, 1 as computed by hand', () => {
    expect(conversionProbability(transitions(bryl))).toBeCloseTo(1 / 3, 12);
    expect(conversionProbability(transitions(bryl), 'C1')).toBeCloseTo(1 / 6, 12);
    const effects = removalEffects(bryl);
    expect(effects.get('C1')).toBeCloseTo(0.5, 12);
    expect(effects.get('C2')).toBeCloseTo(1, 12);
    expect(effects.get('C3')).toBeCloseTo(1, 12);
  });

  it('shares one conversion of 1000 as 0.2/0.4/0.4 and 200/400/400', () => {
    const credits = attributeMarkov(bryl);
    expect(values(credits)).toBe('C2 400, C3 400, C1 200');
    close(conversions(credits), [0.4, 0.4, 0.2]);
  });

  it('solves a loop exactly: A → B → A → conversion, A → null', () => {
    // start → A 1; A → B 1/3, A → conversion 1/3, A → null 1/3; B → A 1.
    // x_A = 1/3 x_B + 1/3, x_B = x_A → x_A = 1/2 = P(conv).
    // Without B: x_A = 1/3 → effect 1 − (1/3)/(1/2) = 1/3. Without A: 0 → effect 1.
    // Shares 1/(4/3) = 3/4 and 1/4 → 750 and 250 of 1000.
    const loop = [converted(path('A', 'B', 'A'), 1000), lost(path('A'))];
    expect(conversionProbability(transitions(loop))).toBeCloseTo(1 / 2, 12);
    const effects = removalEffects(loop);
    expect(effects.get('A')).toBeCloseTo(1, 12);
    expect(effects.get('B')).toBeCloseTo(1 / 3, 12);
    const credits = attributeMarkov(loop);
    expect(values(credits)).toBe('A 750, B 250');
    close(conversions(credits), [0.75, 0.25]);
  });

  it('keeps a repeated key as a self-loop: A → A → conversion, A → null', () => {
    // start → A 1; A → A 1/3, A → conversion 1/3, A → null 1/3: x_A = 1/3 x_A + 1/3 → 1/2.
    const selfLoop = [converted(path('A', 'A'), 10), lost(path('A'))];
    expect(Object.fromEntries(transitions(selfLoop).get('A') ?? [])).toEqual({
      A: 1,
      [CONVERSION]: 1,
      [NULL]: 1,
    });
    expect(conversionProbability(transitions(selfLoop))).toBeCloseTo(1 / 2, 12);
    expect(attributeMarkov(selfLoop)).toEqual([{ key: 'A', conversions: 1, value: 10 }]);
  });

  it('gives no credit to a key that leads nowhere but null', () => {
    // start → A 2/3, start → X 1/3; A → conversion 1/2, A → X 1/2; X → null 1. P = 1/3.
    // Without X, A → X goes to null: nothing changes, effect 0. Without A: P = 0, effect 1.
    const journeys = [converted(path('A'), 1000), lost(path('X')), lost(path('A', 'X'))];
    expect(removalEffects(journeys).get('X')).toBe(0);
    expect(attributeMarkov(journeys)).toEqual([
      { key: 'A', conversions: 1, value: 1000 },
      { key: 'X', conversions: 0, value: 0 },
    ]);
  });

  it('credits a key seen only on lost journeys when they lead on to a key that converts', () => {
    // start → X 1/2, start → A 1/2; X → A 1; A → conversion 1/2, A → null 1/2. P = 1/2.
    // Without X: 1/2 · 1/2 = 1/4 → effect 0.5. Without A: 0 → effect 1. Shares 1/3, 2/3.
    const journeys = [converted(path('A'), 300), lost(path('X', 'A'))];
    const credits = attributeMarkov(journeys);
    expect(values(credits)).toBe('A 200, X 100');
  });

  it('gives removal effect 1 to a key every route of the chain into conversion passes (seeded random)', () => {
    const rnd = prng(99);
    const keys = ['email', 'sms', 'search', 'social'];
    const journeys: Journey[] = Array.from({ length: 300 }, () => {
      const n = 1 + Math.floor(rnd() * 4);
      const keysOf = Array.from({ length: n }, () => keys[Math.floor(rnd() * keys.length)] ?? 'sms');
      if (rnd() < 0.3) return converted(path(...keysOf, 'always'), 100);
      return lost(path(...keysOf));
    });
    const effects = removalEffects(journeys);
    expect(effects.get('always')).toBeCloseTo(1, 12);
    for (const k of keys) expect(effects.get(k) ?? 0).toBeLessThan(1);
    const credits = attributeMarkov(journeys);
    const converting = journeys.filter((j) => j.converted);
    expect(totals(credits).value).toBe(100 * converting.length);
    expect(totals(credits).conversions).toBeCloseTo(converting.length, 9);
  });

  it('first order: a key on every converting journey but not last can be routed around', () => {
    // A → B → conversion, B → null. start → A 1/2, start → B 1/2; A → B 1; B → conversion 1/2,
    // B → null 1/2. P = 1/2 · 1/2 + 1/2 · 1/2 = 1/2. Without A, start → B still converts: P = 1/4,
    // effect 0.5 although A is on the only converting journey. Without B: 0, effect 1.
    const effects = removalEffects([converted(path('A', 'B'), 90), lost(path('B'))]);
    expect(effects.get('A')).toBeCloseTo(0.5, 12);
    expect(effects.get('B')).toBeCloseTo(1, 12);
  });

  it('lists every key with zero credit when nothing converts, and nothing for no journeys', () => {
    const journeys = [lost(path('a', 'b')), lost(path('c'))];
    expect(conversionProbability(transitions(journeys))).toBe(0);
    expect([...removalEffects(journeys).values()]).toEqual([0, 0, 0]);
    expect(attributeMarkov(journeys)).toEqual([
      { key: 'a', conversions: 0, value: 0 },
      { key: 'b', conversions: 0, value: 0 },
      { key: 'c', conversions: 0, value: 0 },
    ]);
    expect(conversionProbability(new Map())).toBe(0);
    expect(attributeMarkov([])).toEqual([]);
  });

  it('ignores journeys without touches and the order touches are given in', () => {
    const shuffled = bryl.map((j) => ({ ...j, touches: [...j.touches].reverse() }));
    const withDirect = [...shuffled, converted([], 5000), lost([])];
    expect(attributeMarkov(withDirect)).toEqual(attributeMarkov(bryl));
  });
});

describe('attributeAll', () => {
  it('answers every model, each crediting the same total', () => {
    const journeys = [
      converted(path('C1', 'C2', 'C3'), 1000),
      lost(path('C1')),
      lost(path('C2', 'C3')),
      converted(path('C3'), 999),
    ];
    const all = attributeAll(journeys, { halfLifeHours: 24 });
    expect(Object.keys(all).sort()).toEqual([...RULE_MODELS, 'data_driven'].sort());
    for (const [model, credits] of Object.entries(all)) {
      expect(totals(credits).value, model).toBe(1999);
      expect(totals(credits).conversions, model).toBeCloseTo(2, 12);
    }
    expect(all.last_touch).toEqual([{ key: 'C3', conversions: 2, value: 1999 }]);
  });
});
