/** Percentiles and result rows of the campaigns benchmark (times in ms). */
import { loadavg } from 'node:os';
import type { Result } from '../lib/load.ts';

export const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0) * 10) / 10;
};

/** A result of `ms` samples (throughput 0: the caller sets it when it means something). */
export const summary = (name: string, ms: readonly number[], errors = 0): Result => ({
  name,
  ops: ms.length,
  errors,
  seconds: Math.round(ms.reduce((a, b) => a + b, 0) / 100) / 10,
  throughput: 0,
  p50: pct(ms, 50),
  p95: pct(ms, 95),
  p99: pct(ms, 99),
  max: pct(ms, 100),
  statuses: {},
});

/** The load average (1, 5, 15 min) as printed beside each figure: the machine may be shared. */
export const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
