/**
 * Test harness of the tracking API: the real server (buildApp) with the events module only, on a fresh
 * database, so that these tests neither wait for nor depend on the routes of every other module.
 */
import { createChannel } from '../../../modules/channels/index.ts';
import { TestClock } from '../../../platform/clock.ts';
import { loadConfig } from '../../../platform/config.ts';
import type { HttpApp } from '../../../platform/http/app.ts';
import { silentLogger } from '../../../platform/log.ts';
import type { Deps } from '../../../platform/module.ts';
import { createTestDb, TEST_PRIVACY_KEY, type TestDb } from '../../../platform/testing.ts';
import { buildApp, makeDeps } from '../../../server.ts';
import { eventsModule } from '../index.ts';

export interface TrackingTestApp {
  app: HttpApp;
  deps: Deps;
  clock: TestClock;
  testDb: TestDb;
  /** Creates a web channel and a source on it with these live and revoked keys; returns the channel id. */
  source(id: string, retentionMonths: number, keys: string[], revoked?: string[]): Promise<string>;
  close(): Promise<void>;
}

export const trackingTestApp = async (
  opts: { clock?: TestClock; env?: Record<string, string> } = {},
): Promise<TrackingTestApp> => {
  const testDb = await createTestDb();
  const clock = opts.clock ?? new TestClock();
  const deps = makeDeps({
    db: testDb.db,
    config: loadConfig({ PLAZA_PRIVACY_KEY: TEST_PRIVACY_KEY, ...opts.env }),
    log: silentLogger(),
    clock,
  });
  const app = await buildApp(deps, [eventsModule]);
  let n = 0;
  return {
    app,
    deps,
    clock,
    testDb,
    async source(id, retentionMonths, keys, revoked = []) {
      n++;
      const channel = await deps.db.tx((tx) =>
        createChannel(tx, deps, {
          type: 'web',
          name: `Tracking ${id} ${n}`,
          currency: 'USD',
          locale: 'en-US',
        }),
      );
      await deps.db.query(
        `INSERT INTO event_sources (id, name, kind, channel_id, retention_months, created_at, updated_at)
         VALUES ($1, $1, 'web', $2, $3, now(), now())`,
        [id, channel.id, retentionMonths],
      );
      const rows = [...keys.map((k) => [k, null]), ...revoked.map((k) => [k, new Date()])];
      for (const [i, [key, at]] of rows.entries()) {
        await deps.db.query(
          'INSERT INTO event_write_keys (id, source_id, key, created_at, revoked_at) VALUES ($1, $2, $3, now(), $4)',
          [`${id}_k${i}`, id, key, at],
        );
      }
      return channel.id;
    },
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
};
