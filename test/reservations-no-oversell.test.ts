/**
 * No oversell under contention: 200 concurrent one-unit reservations against 10 units give exactly
 * 10 holds and 190 clean INSUFFICIENT_STOCK refusals, never a 5xx, and the ledger agrees with the level.
 * On PostgreSQL the requests are split over two real server processes; on PGlite they go to one
 * in-process app (PGlite has a single connection, so that case checks the logic, not the locking).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, testBackend } from '../src/platform/testing.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { http, type PlazaProcess, startPlaza, TEST_ADMIN_TOKEN } from './support/processes.ts';

type Call = (
  i: number,
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: Record<string, unknown> }>;

const REQUESTS = 200;
const UNITS = 10;

/** Creates a location with `units` of a fresh SKU through the admin API. */
const setup = async (call: Call, units: number) => {
  const loc = await call(0, 'POST', '/admin/locations', {
    name: `Contention ${Math.random().toString(36).slice(2)}`,
    type: 'warehouse',
    address: { line1: '1 Dock Rd', city: 'Portland', country: 'US' },
    timezone: 'America/Los_Angeles',
  });
  expect(loc.status).toBe(201);
  const location_id = loc.body.id as string;
  const sku = `RACE-${Math.random().toString(36).slice(2, 10)}`;
  const receipt = await call(0, 'POST', '/admin/inventory/adjustments', {
    sku,
    location_id,
    kind: 'receipt',
    delta: units,
    reason: 'contention test',
  });
  expect(receipt.status).toBe(201);
  return { sku, location_id };
};

const tally = (results: { status: number; body: Record<string, unknown> }[]) => {
  const by = (s: number) => results.filter((r) => r.status === s);
  return { created: by(201), refused: by(409), errors: results.filter((r) => r.status >= 500), all: results };
};

/** The level over HTTP, and what its movements add up to. */
const levelAndLedger = async (call: Call, sku: string, location_id: string) => {
  const level = await call(0, 'GET', `/admin/inventory/levels?sku=${sku}&location_id=${location_id}`);
  const moves = await call(
    0,
    'GET',
    `/admin/inventory/movements?sku=${sku}&location_id=${location_id}&limit=200`,
  );
  const data = moves.body.data as { on_hand_delta: number; reserved_delta: number }[];
  expect(moves.body.next_cursor).toBeNull();
  return {
    level: (level.body.data as Record<string, number>[])[0] as Record<string, number>,
    ledger: {
      on_hand: data.reduce((n, m) => n + m.on_hand_delta, 0),
      reserved: data.reduce((n, m) => n + m.reserved_delta, 0),
    },
  };
};

const scenario = (name: string, call: () => Call) => {
  it(`${name}: ${REQUESTS} concurrent 1-unit reservations of ${UNITS} units → exactly ${UNITS} holds`, async () => {
    const c = call();
    const { sku, location_id } = await setup(c, UNITS);
    const started = performance.now();
    const results = tally(
      await Promise.all(
        Array.from({ length: REQUESTS }, (_, i) =>
          c(i, 'POST', '/admin/inventory/reservations', {
            reference: { type: 'race', id: String(i) },
            lines: [{ sku, location_id, quantity: 1 }],
            expires_in_seconds: 600,
          }),
        ),
      ),
    );
    const ms = Math.round(performance.now() - started);
    console.log(`${name}: ${REQUESTS} reservations in ${ms} ms`);
    expect(results.errors).toEqual([]);
    expect(results.created).toHaveLength(UNITS);
    expect(results.refused).toHaveLength(REQUESTS - UNITS);
    for (const r of results.refused) {
      expect(r.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', sku, location_id, requested: 1 });
      expect(typeof r.body.available).toBe('number');
    }
    const { level, ledger } = await levelAndLedger(c, sku, location_id);
    expect(level).toMatchObject({ on_hand: UNITS, reserved: UNITS, available: 0 });
    expect(level.reserved).toBeLessThanOrEqual(level.on_hand as number);
    expect(ledger).toEqual({ on_hand: level.on_hand, reserved: level.reserved });
  });

  it(`${name}: two lines of the same SKU in one request never oversell`, async () => {
    const c = call();
    const { sku, location_id } = await setup(c, UNITS);
    const twice = (i: number) =>
      c(i, 'POST', '/admin/inventory/reservations', {
        lines: [
          { sku, location_id, quantity: 6 },
          { sku, location_id, quantity: 6 },
        ],
      });
    const alone = await twice(0);
    expect(alone.status).toBe(409);
    expect(alone.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', requested: 12, available: UNITS });
    const results = tally(
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          c(i, 'POST', '/admin/inventory/reservations', {
            lines: [
              { sku, location_id, quantity: 3 },
              { sku, location_id, quantity: 3 },
            ],
          }),
        ),
      ),
    );
    expect(results.errors).toEqual([]);
    expect(results.created).toHaveLength(1);
    expect(results.refused).toHaveLength(19);
    expect(results.refused.every((r) => r.body.code === 'INSUFFICIENT_STOCK' && r.body.requested === 6)).toBe(
      true,
    );
    const { level, ledger } = await levelAndLedger(c, sku, location_id);
    expect(level).toMatchObject({ on_hand: UNITS, reserved: 6, available: 4 });
    expect(ledger).toEqual({ on_hand: UNITS, reserved: 6 });
  });
};

describe.runIf(testBackend() === 'postgres')(
  'no oversell across two API processes on PostgreSQL (skipped unless PLAZA_TEST_BACKEND=postgres)',
  () => {
    let procs: PlazaProcess[] = [];
    let drop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const db = await createPostgresDatabase();
      drop = db.drop;
      // One after the other: the first migrates and creates the bootstrap token.
      procs.push(await startPlaza({ DATABASE_URL: db.url, PLAZA_DB_POOL_SIZE: '10' }));
      procs.push(await startPlaza({ DATABASE_URL: db.url, PLAZA_DB_POOL_SIZE: '10' }));
    });
    afterAll(async () => {
      await Promise.all(procs.map((p) => p.stop()));
      procs = [];
      await drop?.();
    });
    scenario('2 processes on PostgreSQL', () => (i, method, path, body) => {
      const p = procs[i % procs.length] as PlazaProcess;
      return http(p.url, method, path, { body, token: TEST_ADMIN_TOKEN });
    });
  },
);

describe(`no oversell in one in-process app (${testBackend()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  scenario(
    `in-process app on ${testBackend()}`,
    () => (_i, method, path, body) => t.call(method, path, { body, token: t.adminToken }),
  );
});
