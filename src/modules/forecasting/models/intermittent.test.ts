import { describe, expect, it } from 'vitest';
import { type CrostonState, IntermittentModel, runCroston, runTsb, tsbInit } from './intermittent.ts';
import { SeasonalNaive } from './naive.ts';
import type { Prepared } from './types.ts';

const series = (v: number[], missing: number[] = []): Prepared => {
  const miss = new Uint8Array(v.length);
  for (const t of missing) miss[t] = 1;
  return { y: Float64Array.from(v), miss, n: v.length, m: 7 };
};

const EXAMPLE = [0, 0, 3, 0, 0, 0, 2, 0, 4, 0];

describe('Croston and SBA on [0,0,3,0,0,0,2,0,4,0] with α = 0.1', () => {
  // Initialisation: the first demand. It falls on day 3 (1-based), so z = 3, p = 3.
  // Demand of 2 four days later:  z = 3 + 0.1(2 − 3) = 2.9,     p = 3 + 0.1(4 − 3) = 3.1
  // Demand of 4 two days later:   z = 2.9 + 0.1(4 − 2.9) = 3.01, p = 3.1 + 0.1(2 − 3.1) = 2.99
  // Croston: 3.01/2.99 = 1.0066889632; SBA: (1 − 0.05)·3.01/2.99 = 0.9563545151
  it('follows the recursion', () => {
    const st: CrostonState = { z: 0, p: 1, q: 0, started: false };
    runCroston(st, 0.1, 1, series(EXAMPLE), 0, EXAMPLE.length);
    expect(st.z).toBeCloseTo(3.01, 12);
    expect(st.p).toBeCloseTo(2.99, 12);
    expect(st.q).toBe(1); // one day since the last demand
    expect(st.z / st.p).toBeCloseTo(1.0066889632, 9);
    expect((0.95 * st.z) / st.p).toBeCloseTo(0.9563545151, 9);
  });

  it('skips a censored day: it is not part of the interval', () => {
    // day 5 (0-based 4) censored: the second interval is 3 observed days, p = 3 + 0.1(3 − 3) = 3,
    // then p = 3 + 0.1(2 − 3) = 2.9
    const st: CrostonState = { z: 0, p: 1, q: 0, started: false };
    runCroston(st, 0.1, 1, series(EXAMPLE, [4]), 0, EXAMPLE.length);
    expect(st.p).toBeCloseTo(2.9, 12);
    expect(st.z).toBeCloseTo(3.01, 12);
  });

  it('fits α on the grid and forecasts SBA below Croston', () => {
    const croston = new IntermittentModel('croston');
    const sba = new IntermittentModel('sba');
    const p = series(Array.from({ length: 60 }, (_, t) => EXAMPLE[t % 10]!));
    croston.fit(p, 0, 60);
    sba.fit(p, 0, 60);
    expect([0.05, 0.1, 0.2, 0.3]).toContain(croston.alpha);
    expect(sba.level()).toBeLessThan(croston.level() * (1 - 0.05 / 2) + 1e-12);
    expect(croston.mse).toBeGreaterThan(0);
  });
});

describe('TSB on [0,0,3,0,0,0,2,0,4,0] with α = β = 0.1', () => {
  // Initialisation: π = 3/10 demand days, z = (3 + 2 + 4)/3 = 3.
  // π decays by 0.9 on a zero day and moves 10 % towards 1 on a demand day:
  // 0.27, 0.243, 0.3187 (z = 3), 0.28683, 0.258147, 0.2323323, 0.30909907 (z = 2.9),
  // 0.278189163, 0.3503702467 (z = 3.01), 0.31533322203; forecast π·z = 0.9491529983
  it('follows the recursion', () => {
    const p = series(EXAMPLE);
    const st = tsbInit(p, 0, 10);
    expect(st.pi).toBeCloseTo(0.3, 12);
    expect(st.z).toBeCloseTo(3, 12);
    runTsb(st, 0.1, 0.1, p, 0, 10);
    expect(st.pi).toBeCloseTo(0.31533322203, 10);
    expect(st.z).toBeCloseTo(3.01, 12);
    expect(st.pi * st.z).toBeCloseTo(0.9491529983, 9);
  });

  it('keeps π for a censored day', () => {
    const p = series([0, 0, 0], [1]);
    const st = { z: 1, pi: 0.5 };
    runTsb(st, 0.1, 0.1, p, 0, 3);
    expect(st.pi).toBeCloseTo(0.5 * 0.9 * 0.9, 12);
  });
});

describe('seasonal naive', () => {
  it('uses the last uncensored value of the same weekday', () => {
    // two weeks; Tuesday (position 1) of the second week is censored, so week one's 12 stands
    const v = [10, 12, 14, 16, 18, 20, 22, 11, 99, 15, 17, 19, 21, 23];
    const n = new SeasonalNaive(7);
    const err = { abs: 0, sq: 0, n: 0 };
    n.advance(series(v, [8]), 0, 14, err);
    const out = new Float64Array(8);
    n.forecast(out);
    expect(Array.from(out)).toEqual([11, 12, 15, 17, 19, 21, 23, 11]);
    // in-sample errors: 6 observed days with a value a week before, each off by 1
    expect(err).toEqual({ abs: 6, sq: 6, n: 6 });
  });
});
