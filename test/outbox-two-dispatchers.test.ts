import { type ChildProcess, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createEndpoint } from '../src/modules/webhooks/service.ts';
import { TestClock } from '../src/platform/clock.ts';
import { openPostgres } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrate.ts';
import { writeEvents } from '../src/platform/outbox/events.ts';
import { createPostgresDatabase, testBackend } from '../src/platform/testing.ts';
import { PLAZA_BIN } from './support/processes.ts';
import { startReceiver } from './support/receiver.ts';

const EVENTS = 1000;

const startWorker = (url: string): ChildProcess =>
  spawn(process.execPath, [PLAZA_BIN, 'worker'], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });

const waitFor = async (check: () => Promise<boolean>, timeoutMs: number) => {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
};

describe.runIf(testBackend() === 'postgres')('outbox with two dispatcher processes (PostgreSQL)', () => {
  it(`delivers ${EVENTS} events to a webhook: none lost, duplicates removed by event id`, async () => {
    const created = await createPostgresDatabase();
    const db = await openPostgres(created.url);
    const rx = await startReceiver();
    const workers: ChildProcess[] = [];
    try {
      await migrate(db);
      const clock = { now: () => new Date() };
      await db.tx((tx) => createEndpoint(tx, { clock }, { url: rx.url, event_types: ['load.*'] }));
      workers.push(startWorker(created.url), startWorker(created.url));

      // Events arrive while both dispatchers run: 20 transactions of 50, committed concurrently.
      const written = (
        await Promise.all(
          Array.from({ length: EVENTS / 50 }, (_, batch) =>
            db.tx((tx) =>
              writeEvents(
                tx,
                new TestClock(new Date()),
                Array.from({ length: 50 }, (_, i) => ({ type: 'load.test', data: { n: batch * 50 + i } })),
              ),
            ),
          ),
        )
      ).flat();
      expect(new Set(written).size).toBe(EVENTS);

      const unique = () => new Set(rx.received.map((r) => r.json.id));
      const allThere = await waitFor(async () => unique().size >= EVENTS, 90_000);
      expect(allThere, `received ${unique().size} of ${EVENTS}`).toBe(true);
      expect([...unique()].sort()).toEqual([...written].sort());
      const duplicates = rx.received.length - unique().size;
      expect(duplicates).toBeGreaterThanOrEqual(0);

      const settled = await waitFor(async () => {
        const { rows } = await db.query<{ n: number }>(
          "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'delivered'",
        );
        return rows[0]?.n === EVENTS;
      }, 30_000);
      expect(settled).toBe(true);
      const { rows } = await db.query<{ status: string; n: number }>(
        'SELECT status, count(*) AS n FROM outbox_events GROUP BY status',
      );
      expect(rows).toEqual([{ status: 'dispatched', n: EVENTS }]);
      console.log(`two dispatchers: ${EVENTS} events delivered, ${duplicates} duplicate deliveries`);
    } finally {
      for (const w of workers) w.kill('SIGTERM');
      await rx.close();
      await db.close();
      await created.drop();
    }
  });
});
