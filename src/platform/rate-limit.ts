/**
 * Abuse limits shared by every API process: counters in PostgreSQL (`rate_limit_counters`, an UNLOGGED
 * table), one per limit, subject and fixed window. A check is one statement: it upserts the counters
 * of every limit a request meets and returns their counts, so two processes (or twenty) share one
 * count and no process keeps state of its own. A fixed window lets a client send up to twice a limit
 * across a window's boundary; that is the documented price of one row and one statement per limit.
 *
 * Subjects are keyed hashes (HMAC-SHA-256 with PLAZA_PRIVACY_KEY) of what is counted, so the table
 * holds no IP address or e-mail in clear. An account's subject is `login:<normalised e-mail>`, the
 * same hash the login throttle keeps (`auth_failures`), so erasing a customer deletes their counters.
 *
 * Routes declare their limits in their options (`config: { rateLimits: [...] }`); one preHandler
 * hook checks them (after validation, before the handler) and answers RATE_LIMITED (429) with
 * `Retry-After`. Refused requests count too: hammering does not shorten the wait.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { hmacSha256 } from './crypto.ts';
import type { Queryable } from './db.ts';
import { PlazaError } from './errors.ts';
import type { RateLimitName } from './rate-limit-config.ts';
import type { Job } from './worker.ts';

/** One limit a request meets: the named limit and the subject it counts. */
export interface RateCheck {
  name: RateLimitName;
  /** What is counted, before hashing, such as `ip:203.0.113.7` or `login:ada@example.com`. */
  subject: string;
}

/** A route's limits: each names a limit and says what subject a request counts against it (null: none). */
export interface RouteRateLimit {
  name: RateLimitName;
  subject: (req: FastifyRequest) => string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Abuse limits of this route (src/platform/rate-limit.ts). */
    rateLimits?: readonly RouteRateLimit[];
  }
}

export type RateVerdict =
  | { allowed: true }
  | { allowed: false; name: RateLimitName; retryAfterSeconds: number };

interface CounterRow {
  bucket: RateLimitName;
  hits: number;
}

export interface RateLimiter {
  /** Counts one request against each check; refused when any count is over its limit. */
  hit(checks: readonly RateCheck[]): Promise<RateVerdict>;
  /** As `hit`, but throws RATE_LIMITED (429, `retry_after_seconds`) when refused. */
  enforce(checks: readonly RateCheck[]): Promise<void>;
}

/** The limiter over the counters table, with the configured limits and the injectable clock. */
export const rateLimiter = (deps: { db: Queryable; clock: Clock; config: Config }): RateLimiter => {
  const { limits, privacyPepper } = deps.config;
  const hashOf = (subject: string): string => {
    if (!privacyPepper) throw new Error('PLAZA_PRIVACY_KEY is not configured (src/platform/privacy-key.ts)');
    return hmacSha256(privacyPepper, subject);
  };
  const hit = async (checks: readonly RateCheck[]): Promise<RateVerdict> => {
    if (!limits.enabled) return { allowed: true };
    const now = deps.clock.now().getTime();
    const rows = checks
      .filter((c, i) => limits.rules[c.name].limit > 0 && checks.findIndex((d) => d.name === c.name) === i)
      .map((c) => {
        const windowMs = limits.rules[c.name].windowSeconds * 1000;
        const start = Math.floor(now / windowMs) * windowMs;
        return { bucket: c.name, subject: hashOf(c.subject), start, end: start + windowMs };
      })
      // one lock order for every request, so two multi-limit checks cannot deadlock
      .sort((a, b) => a.bucket.localeCompare(b.bucket) || a.subject.localeCompare(b.subject));
    if (rows.length === 0) return { allowed: true };
    const counts = (
      await deps.db.query<CounterRow>(
        `INSERT INTO rate_limit_counters AS c (bucket, subject, window_start, hits, expires_at)
         SELECT b, s, w, 1, e FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])
           WITH ORDINALITY AS r(b, s, w, e, n) ORDER BY n
         ON CONFLICT (bucket, subject, window_start) DO UPDATE SET hits = c.hits + 1
         RETURNING bucket, hits`,
        [
          rows.map((r) => r.bucket),
          rows.map((r) => r.subject),
          rows.map((r) => new Date(r.start).toISOString()),
          rows.map((r) => new Date(r.end).toISOString()),
        ],
      )
    ).rows;
    let refused: { name: RateLimitName; end: number } | null = null;
    for (const c of counts) {
      if (c.hits <= limits.rules[c.bucket].limit) continue;
      const end = rows.find((r) => r.bucket === c.bucket)?.end ?? now + 1000;
      if (!refused || end > refused.end) refused = { name: c.bucket, end };
    }
    if (!refused) return { allowed: true };
    return {
      allowed: false,
      name: refused.name,
      retryAfterSeconds: Math.max(1, Math.ceil((refused.end - now) / 1000)),
    };
  };
  return {
    hit,
    async enforce(checks) {
      const v = await hit(checks);
      if (v.allowed) return;
      throw new PlazaError('RATE_LIMITED', 'Too many requests; retry after the time in Retry-After', {
        limit: v.name,
        retry_after_seconds: v.retryAfterSeconds,
      });
    },
  };
};

/** The client IP as a subject (`request.ip`, which honours PLAZA_TRUST_PROXY). */
export const ipSubject = (req: FastifyRequest): string => `ip:${req.ip}`;

/** Checks the matched route's declared limits before its handler runs (one statement per request). */
export const registerRateLimits = (app: FastifyInstance, limiter: RateLimiter): void => {
  app.addHook('preHandler', async (req) => {
    const declared = req.routeOptions.config.rateLimits;
    if (!declared || declared.length === 0) return;
    const checks: RateCheck[] = [];
    for (const d of declared) {
      const subject = d.subject(req);
      if (subject !== null) checks.push({ name: d.name, subject });
    }
    await limiter.enforce(checks);
  });
};

/** Deletes counters whose window has ended (in bounded batches); returns how many. */
export const deleteExpiredCounters = async (q: Queryable, now: Date, batch = 5000): Promise<number> =>
  (
    await q.query(
      `DELETE FROM rate_limit_counters WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM rate_limit_counters WHERE expires_at <= $1 LIMIT $2))`,
      [now, batch],
    )
  ).rowCount;

/** The worker job that purges ended windows every minute. */
export const rateLimitPurgeJob = (deps: { db: Queryable; clock: Clock }): Job => ({
  name: 'rate-limit-purge',
  intervalMs: 60_000,
  runOnce: () => deleteExpiredCounters(deps.db, deps.clock.now()),
});

/** A string field of the (validated) body, as a subject's raw value; null when absent. */
export const bodyText = (req: FastifyRequest, field: string): string | null => {
  const b = req.body;
  if (typeof b !== 'object' || b === null) return null;
  const v = (b as Record<string, unknown>)[field];
  return typeof v === 'string' ? v : null;
};
