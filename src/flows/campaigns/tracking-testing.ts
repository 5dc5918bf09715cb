/**
 * Test harness of the tracking routes (issue 12, H6): the real server (buildApp) on a fresh database
 * with every module except messaging, campaigns and journeys, whose tracking part (root routes, ad
 * audience and link routes, the conversions subscriber) is mounted alone, so these tests neither
 * wait for nor depend on the campaign editor's routes.
 */
import { createToken } from '../../modules/access/index.ts';
import { createChannel, createKey } from '../../modules/channels/index.ts';
import { MODULES } from '../../modules.ts';
import { TestClock } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { silentLogger } from '../../platform/log.ts';
import type { Deps, PlazaModule } from '../../platform/module.ts';
import { OutboxDispatcher } from '../../platform/outbox/dispatcher.ts';
import { createTestDb, TEST_PRIVACY_KEY, type TestDb } from '../../platform/testing.ts';
import { buildApp, makeDeps } from '../../server.ts';
import { adsRoutes } from './routes-ads.ts';
import { trackingRoutes } from './routes-tracking.ts';
import { trackingSubscribers } from './subscribers-tracking.ts';

const trackingModule: PlazaModule = {
  name: 'campaigns',
  tags: [{ name: 'campaigns', description: 'Campaign tracking, ad audiences and UTM links.' }],
  adminRoutes: (app, deps) => adsRoutes(app, deps),
  rootRoutes: (app, deps) => trackingRoutes(app, deps),
  subscribers: (deps) => trackingSubscribers(deps),
};

const modules = [
  ...MODULES.filter((m) => !['messaging', 'campaigns', 'journeys'].includes(m.name)),
  trackingModule,
];

export interface TrackingApp {
  app: HttpApp;
  deps: Deps;
  clock: TestClock;
  testDb: TestDb;
  adminToken: string;
  /** A web channel with a publishable key. */
  channel(): Promise<{ id: string; key: string }>;
  /** Delivers every outbox event to the subscribers of these modules. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

let channels = 0;

export const createTrackingApp = async (): Promise<TrackingApp> => {
  const testDb = await createTestDb();
  const clock = new TestClock();
  const deps = makeDeps({
    db: testDb.db,
    config: loadConfig({ PLAZA_PRIVACY_KEY: TEST_PRIVACY_KEY, PLAZA_PUBLIC_URL: 'https://plaza.example' }),
    log: silentLogger(),
    clock,
  });
  const app = await buildApp(deps, modules);
  const { token: adminToken } = await deps.db.tx((tx) =>
    createToken(tx, deps, { name: 'test admin', scope: 'admin', createdBy: 'test' }),
  );
  return {
    app,
    deps,
    clock,
    testDb,
    adminToken,
    channel: () =>
      deps.db.tx(async (tx) => {
        channels++;
        const c = await createChannel(tx, deps, {
          type: 'web',
          name: `Tracking web ${channels} ${process.pid}`,
          currency: 'USD',
          locale: 'en-US',
        });
        return { id: c.id, key: (await createKey(tx, deps, c.id, 'test')).key };
      }),
    async drain() {
      const subscribers = modules.flatMap((m) => m.subscribers?.(deps) ?? []);
      const dispatcher = new OutboxDispatcher({ ...deps, subscribers });
      for (let i = 0; i < 50 && (await dispatcher.runOnce()) > 0; i++);
    },
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
};
