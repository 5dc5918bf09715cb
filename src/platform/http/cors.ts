/**
 * Cross-origin access from browsers (CORS), through @fastify/cors.
 *
 * - `/store` answers every origin: publishable keys are public and tokens travel in headers, never in
 *   cookies, so a foreign page gains nothing a script outside the browser could not do. A channel may
 *   list its allowed origins: preflights carry no channel key, so they are answered for every origin,
 *   and the actual request, which carries the key, is refused with FORBIDDEN when its Origin is not
 *   on the channel's list (storeOriginHook).
 * - `/admin` answers only the origins configured in PLAZA_ADMIN_ORIGINS; with none, foreign origins get
 *   no CORS headers at all, so browsers keep other sites' pages out.
 * - Everything else (/openapi.json, /health, /ready) is readable from any origin.
 */
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PlazaError } from '../errors.ts';

/** Request headers the API reads, allowed in cross-origin requests. */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-plaza-channel-key',
  'idempotency-key',
  'x-plaza-cart-token',
  'x-plaza-anonymous-id',
  'x-plaza-order-token',
  'x-request-id',
  // analytics.js retrying a delivery to the tracking API (/v1)
  'x-retry-count',
] as const;

/** Response headers browsers may show to scripts besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'content-disposition'] as const;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Browsers cache a preflight for at most 2 h (Chromium) or 24 h (Firefox). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

const isAdminPath = (path: string | undefined): boolean =>
  path !== undefined && (path === '/admin' || path.startsWith('/admin/'));

export interface CorsOptions {
  /** Origins allowed on /admin (normalized); empty: none. */
  adminOrigins: readonly string[];
}

/** Registers CORS for the whole app (see the module comment for the policy). */
export const registerCors = async (app: FastifyInstance, opts: CorsOptions): Promise<void> => {
  const base: FastifyCorsOptions = {
    methods: METHODS,
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    credentials: false,
  };
  const admin: FastifyCorsOptions = {
    ...base,
    origin: opts.adminOrigins.length > 0 ? [...opts.adminOrigins] : false,
  };
  const open: FastifyCorsOptions = { ...base, origin: '*' };
  await app.register(cors, {
    delegator: (req: FastifyRequest, cb: (e: Error | null, o?: FastifyCorsOptions) => void) => {
      // The matched route (immune to path tricks) and the raw path (preflights match the `*` route).
      const admin_ = isAdminPath(req.routeOptions.url) || isAdminPath(req.url.split('?')[0]);
      cb(null, admin_ ? admin : open);
    },
  });
};

/**
 * onRequest hook for /store, after the channel is known: a channel that lists allowed origins refuses a
 * browser request from any other origin. Requests without an Origin header (servers, apps) pass.
 */
export const storeOriginHook = async (req: FastifyRequest): Promise<void> => {
  const allowed = req.channel?.allowedOrigins;
  const origin = req.headers.origin;
  if (!allowed || allowed.length === 0 || origin === undefined) return;
  if (allowed.includes(origin)) return;
  throw new PlazaError('FORBIDDEN', `This channel does not accept requests from the origin ${origin}`, {
    origin,
  });
};
