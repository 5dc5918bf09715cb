/** Deterministic random series for the tests of this folder (not part of the library's API). */

/** mulberry32, uniform on [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
}

/** n days of level + weekly pattern + Gaussian noise (sd), rounded to whole units and clamped at 0. */
export function weeklySeries(
  seed: number,
  n: number,
  level: number,
  week: number[],
  sd: number,
): Float64Array {
  const r = prng(seed);
  return Float64Array.from({ length: n }, (_, t) =>
    Math.max(0, Math.round(level + (week[t % 7] ?? 0) + sd * normal(r))),
  );
}
