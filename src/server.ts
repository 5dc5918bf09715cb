import { readFileSync } from 'node:fs';
import { shopChannelKeyResolver } from './flows/shop-channel.ts';
import { adminTokenResolver } from './modules/access/index.ts';
import { channelKeyResolver } from './modules/channels/index.ts';
import { customerTokenResolver } from './modules/customers/index.ts';
import { shopWriteKeyResolver } from './modules/events/index.ts';
import { staffSessionResolver } from './modules/staff/index.ts';
import { MODULES } from './modules.ts';
import { applyInvalidation, INVALIDATION_CHANNEL, invalidateAllLocal } from './platform/cache.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db.ts';
import { createHttpApp, type HttpApp } from './platform/http/app.ts';
import { type AuthResolvers, adminAuthHook, storeAuthHook } from './platform/http/auth.ts';
import { storeOriginHook } from './platform/http/cors.ts';
import { registerUi } from './platform/http/ui.ts';
import type { Logger } from './platform/log.ts';
import type { Deps, PlazaModule } from './platform/module.ts';
import { OutboxDispatcher, WEBHOOKS_CHANNEL } from './platform/outbox/dispatcher.ts';
import { natsRelayJobs } from './platform/outbox/nats-relay.ts';
import { WebhookSender } from './platform/outbox/webhooks.ts';
import { rateLimiter, registerRateLimits } from './platform/rate-limit.ts';
import { type Job, Worker } from './platform/worker.ts';

export const VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

const DESCRIPTION = `Plaza is an omnichannel commerce engine: one customer, one cart, one stock and one order history
for every channel a retailer sells through.

* **/admin** needs an admin or staff token: \`Authorization: Bearer plz_at_…\`.
  People log in with \`POST /admin/auth/login\` instead: its \`plaza_session\` cookie then authenticates
  /admin, and every request of it that changes something carries \`x-plaza-csrf\` (docs/staff.md).
* **/store** needs a channel's publishable key in \`x-plaza-channel-key: pk_…\`; logged-in shoppers add
  \`Authorization: Bearer plz_ct_…\` from \`POST /store/auth/token\`.
* Errors are \`application/problem+json\` with a stable \`code\` (see docs/errors.md).
* Money is always an integer in minor units with an ISO 4217 currency.`;

/** Builds the HTTP app: /admin and /store routes of every module behind their auth hooks. */
export const buildApp = async (deps: Deps, modules: readonly PlazaModule[] = MODULES): Promise<HttpApp> => {
  const app = await createHttpApp({
    logger: deps.log,
    db: deps.db,
    version: VERSION,
    description: DESCRIPTION,
    trustProxy: deps.config.trustProxy,
    adminOrigins: deps.config.adminOrigins,
    tags: modules.flatMap((m) => m.tags ?? []),
    bodyLimit: deps.config.limits.bodyLimit,
    maxHeaderSize: deps.config.limits.maxHeaderSize,
    headersTimeoutMs: deps.config.limits.headersTimeoutMs,
    requestTimeoutMs: deps.config.limits.requestTimeoutMs,
    hstsMaxAge: deps.config.limits.hstsMaxAge,
  });
  // before any route: the limits each route declares (`config.rateLimits`), shared through the database
  registerRateLimits(app, rateLimiter(deps));
  const resolvers: AuthResolvers = {
    adminToken: adminTokenResolver(deps),
    channelKey: channelKeyResolver(deps),
    customerToken: customerTokenResolver(deps),
    staffSession: staffSessionResolver(deps),
  };
  await app.register(
    async (admin) => {
      admin.addHook('onRequest', adminAuthHook(resolvers));
      for (const m of modules) m.adminRoutes?.(admin as HttpApp, deps);
    },
    { prefix: '/admin' },
  );
  await app.register(
    async (store) => {
      store.addHook('onRequest', storeAuthHook(resolvers));
      store.addHook('onRequest', storeOriginHook);
      for (const m of modules) m.storeRoutes?.(store as HttpApp, deps);
    },
    { prefix: '/store' },
  );
  for (const m of modules) m.rootRoutes?.(app, deps);
  const shopChannelKey = shopChannelKeyResolver(deps);
  await registerUi(app, {
    distDir: deps.config.webDist,
    shopChannelKey,
    shopWriteKey: shopWriteKeyResolver(deps, shopChannelKey),
  });
  // One LISTEN per process: cached credentials and settings are forgotten as soon as another
  // process changes them, and all of them when the LISTEN connection was lost (changes were missed).
  const unlisten = await deps.db.listen(INVALIDATION_CHANNEL, applyInvalidation, invalidateAllLocal);
  app.addHook('onClose', async () => unlisten());
  await app.ready();
  return app;
};

/** The background work of a Plaza process: outbox dispatch, webhook sending, the NATS relay, module sweepers. */
export const buildWorker = (deps: Deps, modules: readonly PlazaModule[] = MODULES): Worker => {
  const subscribers = modules.flatMap((m) => m.subscribers?.(deps) ?? []);
  const dispatcher = new OutboxDispatcher({ ...deps, subscribers });
  const sender = new WebhookSender(deps);
  const jobs: Job[] = [
    { name: 'outbox', runOnce: () => dispatcher.runOnce(), intervalMs: 1000, wakeOn: 'plaza_outbox' },
    { name: 'webhooks', runOnce: () => sender.runOnce(), intervalMs: 1000, wakeOn: WEBHOOKS_CHANNEL },
    ...natsRelayJobs(deps),
    ...modules.flatMap((m) => m.jobs?.(deps) ?? []),
  ];
  return new Worker(deps.db, deps.log, jobs);
};

export interface DepsInput {
  db: Db;
  config: Config;
  log: Logger;
  clock?: Clock;
}

export const makeDeps = (i: DepsInput): Deps => ({
  db: i.db,
  config: i.config,
  log: i.log,
  clock: i.clock ?? systemClock,
});
