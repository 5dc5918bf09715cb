/** In-process HTTP test harness: the real app on a fresh database, called with app.inject(). */

import { createToken } from '../../src/modules/access/index.ts';
import { createChannel, createKey } from '../../src/modules/channels/index.ts';
import { providers } from '../../src/modules/messaging/index.ts';
import { TestClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { HttpApp } from '../../src/platform/http/app.ts';
import { createLogger, silentLogger } from '../../src/platform/log.ts';
import type { Deps } from '../../src/platform/module.ts';
import { createTestDb, TEST_PRIVACY_KEY, type TestDb } from '../../src/platform/testing.ts';
import type { Worker } from '../../src/platform/worker.ts';
import { buildApp, buildWorker, makeDeps } from '../../src/server.ts';

/** Members of a problem document, present on error replies. */
export interface ProblemFields {
  code?: string;
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extra: string]: unknown;
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T & ProblemFields;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  token?: string;
  key?: string;
  headers?: Record<string, string>;
  /** Client IP address seen by the server. */
  ip?: string;
}

export interface TestApp {
  app: HttpApp;
  deps: Deps;
  clock: TestClock;
  testDb: TestDb;
  /** Token of an admin-scope admin token. */
  adminToken: string;
  call<T = Record<string, unknown>>(method: string, url: string, opts?: CallOptions): Promise<Reply<T>>;
  /** Call /admin with the admin token (or opts.token). */
  admin<T = Record<string, unknown>>(
    method: string,
    url: string,
    body?: unknown,
    token?: string,
  ): Promise<Reply<T>>;
  /** Create a staff token limited to these locations; returns the secret. */
  staff(locationIds: string[]): Promise<string>;
  /** Create a channel with a publishable key; returns its id and key. */
  channel(type?: string, name?: string, currency?: string): Promise<{ id: string; key: string }>;
  worker(): Worker;
  close(): Promise<void>;
}

let channelCount = 0;

export const createTestApp = async (
  opts: { clock?: TestClock; env?: Record<string, string> } = {},
): Promise<TestApp> => {
  const testDb = await createTestDb();
  const clock = opts.clock ?? new TestClock();
  // PLAZA_TEST_LOG=debug|info|warn|error shows the server's logs while debugging a test.
  const log = process.env.PLAZA_TEST_LOG ? createLogger(process.env.PLAZA_TEST_LOG) : silentLogger();
  const deps = makeDeps({
    db: testDb.db,
    // Rate limits off: fixtures sign up and log in many customers from one address; the limits
    // are tested with their own thresholds in test/abuse-limits.test.ts (PLAZA_RATE_LIMITS=on).
    config: loadConfig({
      PLAZA_PAYMENT_TIMEOUT_MS: '300',
      PLAZA_PRIVACY_KEY: TEST_PRIVACY_KEY,
      PLAZA_RATE_LIMITS: 'off',
      ...opts.env,
    }),
    log,
    clock,
  });
  const app = await buildApp(deps);
  const { token: adminToken } = await deps.db.tx((tx) =>
    createToken(tx, deps, { name: 'test admin', scope: 'admin', createdBy: 'test' }),
  );
  const workers: Worker[] = [];

  const call = async <T>(method: string, url: string, o: CallOptions = {}): Promise<Reply<T>> => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.key) headers['x-plaza-channel-key'] = o.key;
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(o.ip ? { remoteAddress: o.ip } : {}),
      ...(o.body !== undefined ? { payload: o.body as Record<string, unknown> } : {}),
    });
    const text = res.body;
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (HTML receipt, docs)
    }
    return { status: res.statusCode, body: body as T & ProblemFields, headers: res.headers, text };
  };

  const t: TestApp = {
    app,
    deps,
    clock,
    testDb,
    adminToken,
    call,
    admin: (method, url, body, token) => call(method, `/admin${url}`, { body, token: token ?? adminToken }),
    async staff(locationIds) {
      const { token } = await deps.db.tx((tx) =>
        createToken(tx, deps, {
          name: 'test staff',
          scope: 'staff',
          location_ids: locationIds,
          createdBy: 'test',
        }),
      );
      return token;
    },
    async channel(type = 'web', name, currency = 'USD') {
      channelCount++;
      return deps.db.tx(async (tx) => {
        const c = await createChannel(tx, deps, {
          type: type as 'web',
          name: name ?? `Test ${type} ${channelCount} ${process.pid}`,
          currency,
          locale: 'en-US',
        });
        const k = await createKey(tx, deps, c.id, 'test');
        return { id: c.id, key: k.key };
      });
    },
    worker() {
      const w = buildWorker(deps);
      workers.push(w);
      return w;
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      await providers(deps).close();
      await app.close();
      await testDb.drop();
    },
  };
  return t;
};
