import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
import type { HttpApp } from './http/app.ts';
import type { Logger } from './log.ts';
import type { Subscriber } from './outbox/events.ts';
import type { Job } from './worker.ts';

/** What every module and flow is built with. Passed explicitly; nothing is global. */
export interface Deps {
  db: Db;
  clock: Clock;
  log: Logger;
  config: Config;
}

/**
 * A domain module (or a flow with HTTP routes) as the server sees it: routes for /admin and
 * /store, in-process event subscribers, and background jobs. Everything is optional.
 */
export interface PlazaModule {
  name: string;
  /** OpenAPI tag descriptions this module contributes. */
  tags?: { name: string; description: string }[];
  adminRoutes?(app: HttpApp, deps: Deps): void;
  storeRoutes?(app: HttpApp, deps: Deps): void;
  /** Routes outside /admin and /store with their own authentication (e.g. the tracking API under /v1). */
  rootRoutes?(app: HttpApp, deps: Deps): void;
  subscribers?(deps: Deps): Subscriber[];
  jobs?(deps: Deps): Job[];
}
