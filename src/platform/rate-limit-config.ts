/**
 * The abuse limits' configuration (docs/configuration.md#abuse-limits): every limit is a number of
 * requests per fixed window, set by `PLAZA_LIMIT_<NAME>=<requests>` or `<requests>/<seconds>`, and `0`
 * turns one limit off. `PLAZA_RATE_LIMITS=off` turns all of them off (benchmarks of raw throughput).
 * Body, header and slow-client limits, and HSTS, are set here too.
 */

/** One limit: at most `limit` requests per `windowSeconds` (a fixed window); `limit` 0 is off. */
export interface RateRule {
  limit: number;
  windowSeconds: number;
}

/** The named limits and their defaults. */
export const RATE_LIMIT_DEFAULTS = {
  /** POST /store/auth/token and POST /admin/auth/login, per client IP (all attempts, right or wrong). */
  loginPerIp: { limit: 60, windowSeconds: 60 },
  /** The same routes per account (e-mail); failed logins are also counted by the login throttle. */
  loginPerAccount: { limit: 10, windowSeconds: 60 },
  /** POST /store/customers (sign-up), per client IP. */
  signupPerIp: { limit: 30, windowSeconds: 600 },
  /** POST /admin/auth/password-reset, per client IP. */
  passwordResetPerIp: { limit: 10, windowSeconds: 600 },
  /** POST /admin/auth/password-reset, per account (e-mail). */
  passwordResetPerAccount: { limit: 3, windowSeconds: 600 },
  /** POST /admin/orders/:id/pickup/handover (pickup code attempts), per order. */
  pickupPerOrder: { limit: 10, windowSeconds: 600 },
  /** The same route per client IP (a counter or a shared device). */
  pickupPerIp: { limit: 120, windowSeconds: 600 },
  /** GET /store/products with `q` (search), per client IP. */
  searchPerIp: { limit: 120, windowSeconds: 60 },
  /** The same searches per channel key (every shopper of a channel shares it). */
  searchPerChannel: { limit: 6000, windowSeconds: 60 },
  /** POST /v1/* (Segment ingestion), per write key: high, so that only a runaway source meets it. */
  ingestPerWriteKey: { limit: 120_000, windowSeconds: 60 },
} as const satisfies Record<string, RateRule>;

export type RateLimitName = keyof typeof RATE_LIMIT_DEFAULTS;

export interface LimitsConfig {
  /** PLAZA_RATE_LIMITS: false turns every rate limit off (default on). */
  enabled: boolean;
  rules: Record<RateLimitName, RateRule>;
  /** PLAZA_BODY_LIMIT: the largest request body in bytes outside the routes with their own (default 1 MiB). */
  bodyLimit: number;
  /** PLAZA_MAX_HEADER_SIZE: the largest request head (request line and headers), in bytes (default 16 KiB). */
  maxHeaderSize: number;
  /** PLAZA_HEADERS_TIMEOUT_MS: time a client has to send the request head (default 10 s). */
  headersTimeoutMs: number;
  /** PLAZA_REQUEST_TIMEOUT_MS: time a client has to send the whole request, body included (default 300 s: a 50 MB import at 1.4 Mbit/s). */
  requestTimeoutMs: number;
  /** PLAZA_HSTS_MAX_AGE: seconds of Strict-Transport-Security, sent only when set (clients reach Plaza over HTTPS); default 0, off. */
  hstsMaxAge: number;
}

/** Body limit of authentication routes (login, sign-up, password reset, set password). */
export const AUTH_BODY_LIMIT = 16 * 1024;

const envName = (name: string): string =>
  `PLAZA_LIMIT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

type Reader = (name: string, fallback: number, min: number, max: number) => number;

/** Reads the limits; `int` and `bool` are config.ts's validated readers; throws `fail(message)` on bad values. */
export const limitsFrom = (
  env: NodeJS.ProcessEnv,
  int: Reader,
  bool: (name: string, fallback: boolean) => boolean,
  fail: (message: string) => Error,
): LimitsConfig => {
  const rules = {} as Record<RateLimitName, RateRule>;
  for (const [name, d] of Object.entries(RATE_LIMIT_DEFAULTS) as [RateLimitName, RateRule][]) {
    const variable = envName(name);
    const raw = env[variable]?.trim();
    if (!raw) {
      rules[name] = { ...d };
      continue;
    }
    const m = /^(\d{1,9})(?:\/(\d{1,6}))?$/.exec(raw);
    const seconds = m?.[2] === undefined ? d.windowSeconds : Number(m[2]);
    if (!m || seconds < 1 || seconds > 86_400)
      throw fail(
        `${variable} must be <requests> or <requests>/<seconds> such as 60/60, or 0 for off (got "${raw}")`,
      );
    rules[name] = { limit: Number(m[1]), windowSeconds: seconds };
  }
  const requestTimeoutMs = int('PLAZA_REQUEST_TIMEOUT_MS', 300_000, 1000, 3_600_000);
  const headersTimeoutMs = int('PLAZA_HEADERS_TIMEOUT_MS', 10_000, 1000, 600_000);
  if (headersTimeoutMs > requestTimeoutMs)
    throw fail('PLAZA_HEADERS_TIMEOUT_MS must not be larger than PLAZA_REQUEST_TIMEOUT_MS');
  return {
    enabled: bool('PLAZA_RATE_LIMITS', true),
    rules,
    bodyLimit: int('PLAZA_BODY_LIMIT', 1_048_576, 1024, 1_073_741_824),
    maxHeaderSize: int('PLAZA_MAX_HEADER_SIZE', 16_384, 4096, 1_048_576),
    headersTimeoutMs,
    requestTimeoutMs,
    hstsMaxAge: int('PLAZA_HSTS_MAX_AGE', 0, 0, 63_072_000),
  };
};

/** The environment variable of a named limit (for messages and docs). */
export const limitVariable = (name: RateLimitName): string => envName(name);
