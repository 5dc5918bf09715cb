import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastSeries, MODEL_NAMES, profileForecast, reconcile, type SeriesForecast } from './index.ts';
import { normal, prng } from './testing.ts';

const KINDS = [
  'zeros',
  'spike',
  'negative',
  'gaps',
  'all-censored',
  'huge',
  'tiny',
  'smooth',
  'intermittent',
  'trend-up',
  'trend-down',
  'step',
  'not-finite',
] as const;
type Kind = (typeof KINDS)[number];

/** A series of the kind, drawn from the seed. */
function make(kind: Kind, n: number, seed: number): { values: Float64Array; censored: Uint8Array } {
  const r = prng(seed);
  const values = new Float64Array(n);
  const censored = new Uint8Array(n);
  const level = 1 + r() * 50;
  for (let t = 0; t < n; t++) {
    const noise = normal(r);
    switch (kind) {
      case 'zeros':
        break;
      case 'spike':
        values[t] = t === Math.floor(n / 2) ? 1000 * r() : 0;
        break;
      case 'negative':
        values[t] = Math.round(2 * noise);
        break;
      case 'gaps':
        values[t] = Math.max(0, Math.round(level + 3 * noise));
        censored[t] = Math.floor(t / 60) % 2 === 1 || r() < 0.1 ? 1 : 0;
        break;
      case 'all-censored':
        values[t] = level * r();
        censored[t] = 1;
        break;
      case 'huge':
        values[t] = 1e9 * (1 + 0.5 * Math.sin(t) + 0.1 * noise);
        break;
      case 'tiny':
        values[t] = 1e-9 * r();
        break;
      case 'smooth':
        values[t] = Math.max(
          0,
          Math.round(level * (1 + 0.3 * (t % 7 === 5 ? 1 : 0)) + Math.sqrt(level) * noise),
        );
        break;
      case 'intermittent':
        values[t] = r() < 0.1 ? Math.ceil(20 * r() * r()) : 0;
        break;
      case 'trend-up':
        values[t] = Math.max(0, level * Math.exp(t / 60) + noise);
        break;
      case 'trend-down':
        values[t] = Math.max(0, level * (1 - t / Math.max(1, n - 50)) + noise);
        break;
      case 'step':
        values[t] = t < n / 2 ? 0 : level;
        break;
      case 'not-finite':
        values[t] = r() < 0.2 ? [Number.NaN, Number.POSITIVE_INFINITY, -1e308][Math.floor(r() * 3)]! : level;
        break;
    }
  }
  return { values, censored };
}

const finiteOrNull = (v: number | null) => v === null || Number.isFinite(v);

/** What is wrong with a forecast (one expect per forecast keeps a few hundred runs fast). */
function problems(f: SeriesForecast, horizon: number): string[] {
  const out: string[] = [];
  if (!MODEL_NAMES.includes(f.model)) out.push(`model ${f.model}`);
  if (!['smooth', 'erratic', 'intermittent', 'lumpy', 'empty'].includes(f.demandClass)) out.push('class');
  const arrays = { mean: f.mean, lo80: f.lo80, hi80: f.hi80, lo95: f.lo95, hi95: f.hi95 };
  for (const [name, a] of Object.entries(arrays)) {
    if (a.length !== horizon) out.push(`${name} length ${a.length}`);
    a.forEach((v, i) => {
      if (!Number.isFinite(v) || v < 0) out.push(`${name}[${i}] = ${v}`);
    });
  }
  for (let i = 0; i < horizon; i++) {
    const chain = [f.lo95[i]!, f.lo80[i]!, f.mean[i]!, f.hi80[i]!, f.hi95[i]!];
    if (chain.some((v, k) => k > 0 && v < chain[k - 1]!)) out.push(`not nested at ${i}: ${chain.join(' ')}`);
  }
  if (!(finiteOrNull(f.mase) && finiteOrNull(f.bias) && finiteOrNull(f.baselineMase))) out.push('metrics');
  if (f.backtest && !Object.values(f.backtest).every(Number.isFinite)) out.push('backtest');
  if (!f.candidates.every((c) => finiteOrNull(c.mase) && finiteOrNull(c.aicc))) out.push('candidates');
  return out;
}

const check = (f: SeriesForecast, horizon: number): void => expect(problems(f, horizon)).toEqual([]);

describe('forecastSeries on anything', () => {
  it('answers finite, non-negative, nested forecasts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 60 }),
        (kind, n, seed, horizon) => {
          const { values, censored } = make(kind, n, seed);
          const f = forecastSeries({ values, censored, firstWeekday: seed % 7 }, { horizon });
          check(f, horizon);
          if (kind === 'zeros') expect(f.model).toBe('zero');
        },
      ),
      { seed: 20240601, numRuns: 300 },
    );
  });

  it('forecasts every kind with every model on request', () => {
    for (const kind of KINDS) {
      const { values, censored } = make(kind, 400, 7);
      for (const m of MODEL_NAMES) {
        check(forecastSeries({ values, censored, firstWeekday: 0 }, { horizon: 14, models: [m] }), 14);
      }
    }
  });

  it('profiles and reconciliations stay finite', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 1e9, noNaN: false }),
        fc.array(fc.double({ min: -1, max: 10 }), { minLength: 0, maxLength: 8 }),
        fc.integer({ min: 0, max: 6 }),
        (daily, weekday, first) => {
          const p = profileForecast({ daily, weekday }, first, 14);
          check(p, 14);
          for (const method of ['forecast_proportions', 'bottom_up'] as const) {
            const r = reconcile(p, [p, profileForecast({ daily: daily / 3 }, first, 14)], method);
            for (const x of [...r.parts, r.total]) check(x, 14);
            for (let h = 0; h < 14; h++) {
              const sum = r.parts[0]!.mean[h]! + r.parts[1]!.mean[h]!;
              expect(Math.abs(sum - r.total.mean[h]!)).toBeLessThanOrEqual(
                1e-9 * Math.max(1, r.total.mean[h]!),
              );
            }
          }
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});
