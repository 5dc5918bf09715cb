/**
 * Fault scenario: PostgreSQL restarts under checkout load from two API processes.
 *
 * A private PostgreSQL is stopped and started again several times while shoppers check out through
 * both processes. Both processes must stay alive, never answer 500, answer 503 problem+json with
 * Retry-After while the database is away (and /ready says not ready), and serve again within 2 s of
 * the database's return. The worker loop of process A must keep dispatching the outbox afterwards.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLoadShop, firstSuccessAfter, type Load, startCheckoutLoad } from '../support/checkout-load.ts';
import { type PrivatePostgres, type StopMode, startPrivatePostgres } from '../support/private-postgres.ts';
import { type PlazaProcess, startPlaza } from '../support/processes.ts';
import { FULL, faultsSkipped, sleep, titled } from './faults.ts';

const RESTARTS = FULL ? 10 : 3;
const SHOPPERS = FULL ? 12 : 6;
const DOWN_MS = FULL ? 1500 : 700;
const BETWEEN_MS = FULL ? 4000 : 2500;
const RECOVERY_MS = 2000;

interface Outage {
  mode: StopMode;
  stopAt: number;
  upAt: number;
  ready: number[];
  recoveredMs: (number | undefined)[];
  unavailable: number;
}

const readyStatus = async (base: string): Promise<number> => {
  try {
    return (await fetch(`${base}/ready`, { signal: AbortSignal.timeout(5000) })).status;
  } catch {
    return 0;
  }
};

describe.skipIf(faultsSkipped !== undefined)(titled('PostgreSQL restarts under checkout load'), () => {
  let server: PrivatePostgres | undefined;
  const procs: PlazaProcess[] = [];
  let load: Load | undefined;
  afterAll(async () => {
    await load?.stop();
    await Promise.all(procs.map((p) => p.stop()));
    await server?.destroy();
  });

  it(`${RESTARTS} restarts: both processes live, no 500, 503 + Retry-After meanwhile, back within 2 s`, async () => {
    server = await startPrivatePostgres();
    const url = server.url;
    procs.push(
      ...(await Promise.all([
        startPlaza({ DATABASE_URL: url, PLAZA_DB_POOL_SIZE: '8' }),
        startPlaza({ DATABASE_URL: url, PLAZA_DB_POOL_SIZE: '8', PLAZA_WORKERS: '0' }),
      ])),
    );
    const bases = procs.map((p) => p.url);
    const shop = await createLoadShop(bases[0] as string);
    load = startCheckoutLoad(bases, shop, SHOPPERS);
    await sleep(1500);

    const outages: Outage[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      const mode: StopMode = FULL && i % 2 === 1 ? 'immediate' : 'fast';
      const stopAt = Date.now();
      await server.stop(mode);
      await sleep(DOWN_MS / 2);
      const ready = await Promise.all(bases.map(readyStatus));
      await sleep(DOWN_MS / 2);
      await server.start();
      const upAt = Date.now();
      await sleep(BETWEEN_MS);
      outages.push({
        mode,
        stopAt,
        upAt,
        ready,
        recoveredMs: bases.map((_, p) => {
          const first = firstSuccessAfter(load?.samples ?? [], p, upAt);
          return first ? first.at - upAt : undefined;
        }),
        unavailable: (load?.samples ?? []).filter(
          (s) => s.status === 503 && s.at >= stopAt && s.at < upAt + 2000,
        ).length,
      });
    }
    await load.stop();
    const samples = load.samples;

    const report = outages.map((o, i) => ({
      restart: i + 1,
      mode: o.mode,
      outage_ms: o.upAt - o.stopAt,
      ready_during_outage: o.ready.join('/'),
      answered_503: o.unavailable,
      recovered_ms: o.recoveredMs.map((ms) => ms ?? 'never').join('/'),
    }));
    console.log(`restart report (process A/B):\n${JSON.stringify(report, null, 1)}`);
    const statuses: Record<string, number> = {};
    for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    console.log(`answers by status: ${JSON.stringify(statuses)}; requests: ${samples.length}`);

    // Both processes are alive and healthy.
    for (const p of procs) {
      expect(p.proc.exitCode, p.output().slice(-2000)).toBeNull();
      expect((await fetch(`${p.url}/health`)).status).toBe(200);
      expect(await readyStatus(p.url)).toBe(200);
    }
    // No 5xx other than 503, and no dropped connection.
    const bad = samples.filter((s) => s.status === 0 || (s.status >= 500 && s.status !== 503));
    expect(bad, JSON.stringify(bad.slice(0, 5))).toEqual([]);
    // The outages were seen, and every 503 is problem+json with Retry-After.
    const unavailable = samples.filter((s) => s.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const s of unavailable) {
      expect(s.code).toBe('SERVICE_UNAVAILABLE');
      expect(s.retryAfter).toMatch(/^\d+$/);
      expect(s.contentType).toMatch(/^application\/problem\+json/);
    }
    // No request hung through an outage: every answer came within a bounded time.
    expect(Math.max(...samples.map((s) => s.ms))).toBeLessThan(10_000);
    for (const o of outages) {
      expect(o.ready).toEqual([503, 503]);
      for (const ms of o.recoveredMs) {
        expect(ms).toBeDefined();
        expect(ms as number).toBeLessThanOrEqual(RECOVERY_MS);
      }
    }

    // The worker loop of process A survived: it dispatches events written after the last restart.
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const lastUp = outages[outages.length - 1]?.upAt ?? 0;
      let dispatched = 0;
      for (let i = 0; i < 50 && dispatched === 0; i++) {
        const r = await client.query<{ n: string }>(
          "SELECT count(*) AS n FROM outbox_events WHERE status = 'dispatched' AND dispatched_at > $1",
          [new Date(lastUp)],
        );
        dispatched = Number(r.rows[0]?.n);
        if (dispatched === 0) await sleep(200);
      }
      expect(dispatched).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  }, 240_000);
});
