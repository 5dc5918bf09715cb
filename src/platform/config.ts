import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeOrigin } from './origins.ts';
import { type NatsConfig, natsFrom } from './outbox/nats-config.ts';
import { type LimitsConfig, limitsFrom } from './rate-limit-config.ts';

/** Plaza's configuration, read once from the environment and validated. */
export interface Config {
  port: number;
  host: string;
  /** `postgres://…` selects a PostgreSQL server; undefined selects embedded PGlite. */
  databaseUrl: string | undefined;
  /** Folder where PGlite persists its data. */
  dataDir: string;
  /** Bootstrap admin token, set for automation (≥ 32 characters). */
  adminToken: string | undefined;
  /** Load the demo retailer on a fresh embedded database (default true). */
  demo: boolean;
  /** With the demo, also play its 60 days of history (default true; tests turn it off for speed). */
  demoHistory: boolean;
  /** The built UI served at /console, /shop and /pos (PLAZA_WEB_DIST, default web/dist). */
  webDist: string;
  /** The publishable key of the bundled web shop (PLAZA_SHOP_CHANNEL_KEY; default: the first web channel's). */
  shopChannelKey: string | undefined;
  logLevel: string;
  /** Connections in the pg pool. */
  poolSize: number;
  /** Run the outbox dispatcher and background sweepers in this process. */
  workers: boolean;
  /** How long a payment provider may take to answer before the payment counts as failed. */
  paymentTimeoutMs: number;
  /**
   * Which proxies in front of Plaza may say who the client is (X-Forwarded-For), for the client IP of
   * login throttling and consent proofs: false (none), proxy addresses/CIDRs, or true (every hop).
   */
  trustProxy: TrustProxy;
  /** Public base URL, for links printed at start. */
  publicUrl: string | undefined;
  /** ISO 3166 country whose national phone numbers need no country code (phone normalisation). */
  defaultCountry: string;
  /**
   * PLAZA_PRIVACY_KEY: the key of every hash of personal data (≥ 32 chars), kept outside the database.
   * Required with DATABASE_URL; on the embedded database a key file is created in the data folder
   * (src/platform/privacy-key.ts resolves it at start).
   */
  privacyPepper: string | undefined;
  /** Browser origins allowed to call /admin (CORS), canonical; empty: no foreign origin. */
  adminOrigins: string[];
  /** Event collection (docs/events.md). */
  events: EventsConfig;
  /** Messaging providers and the sender (docs/campaigns.md). */
  messaging: MessagingConfig;
  /** The outbox relay to NATS JetStream (PLAZA_NATS_*; docs/deployment.md); undefined: no relay. */
  nats: NatsConfig | undefined;
  /** Abuse limits: rate limits, body, header and slow-client limits, HSTS (docs/configuration.md#abuse-limits). */
  limits: LimitsConfig;
}

/** Messaging media (docs/campaigns.md). A medium without its provider configured is skipped (`no_provider`), except e-mail, which falls back to the built-in mailbox. */
export interface MessagingConfig {
  /** PLAZA_SMTP_URL: `smtp://user:pass@host:port` or `smtps://…`; unset: e-mail goes to the built-in mailbox. */
  smtpUrl: string | undefined;
  /** PLAZA_SMTP_POOL_SIZE: pooled SMTP connections (default 5). */
  smtpPoolSize: number;
  /** PLAZA_MAIL_FROM: the From of every message (default `Plaza <shop@plaza.localhost>`). */
  mailFrom: string;
  /** PLAZA_DKIM_DOMAIN, PLAZA_DKIM_SELECTOR, PLAZA_DKIM_PRIVATE_KEY (PEM text or a file path): DKIM signing when all three are set. */
  dkim: { domain: string; selector: string; privateKey: string } | undefined;
  /** PLAZA_SMS_PROVIDER: `webhook` (PLAZA_SMS_WEBHOOK_URL, PLAZA_SMS_WEBHOOK_SECRET) or `twilio` (PLAZA_TWILIO_*); unset: no SMS. */
  sms: Record<string, string> & { provider: 'webhook' | 'twilio' | 'none' };
  /** PLAZA_PUSH_PROVIDER: `webhook` (PLAZA_PUSH_WEBHOOK_URL, PLAZA_PUSH_WEBHOOK_SECRET) or `fcm` (PLAZA_FCM_*); unset: no app push. */
  push: Record<string, string> & { provider: 'webhook' | 'fcm' | 'none' };
  /** PLAZA_VAPID_PUBLIC_KEY, PLAZA_VAPID_PRIVATE_KEY, PLAZA_VAPID_SUBJECT; unset: a key pair is generated once and kept in the database. */
  vapid: { publicKey: string; privateKey: string; subject: string } | undefined;
  /** PLAZA_SMTP_WEBHOOK_SECRET: signs POST /hooks/messaging/smtp (bounce and complaint feed, Standard Webhooks); unset: the feed is refused. */
  smtpWebhookSecret: string | undefined;
  /** PLAZA_SEND_CONCURRENCY: messages in flight per worker process (default 20). */
  sendConcurrency: number;
  /** PLAZA_SEND_BATCH: sends claimed per round (default 200). */
  sendBatch: number;
  /** PLAZA_PROVIDER_TIMEOUT_MS: the longest a provider may take to answer one message (default 10 s). */
  providerTimeoutMs: number;
  /** PLAZA_PLAN_WORKERS: campaign planner loops per worker process, each planning a lane of an audience (default 2). */
  planWorkers: number;
}

const prefixed = (env: NodeJS.ProcessEnv, prefix: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env)
      .filter(([k, v]) => k.startsWith(prefix) && v !== undefined && v.trim() !== '')
      .map(([k, v]) => [k.slice(prefix.length).toLowerCase(), (v ?? '').trim()]),
  );

const messagingFrom = (env: NodeJS.ProcessEnv): MessagingConfig => {
  const pick = <T extends string>(name: string, allowed: readonly T[]): T => {
    const v = (env[name]?.trim().toLowerCase() || 'none') as T;
    if (!allowed.includes(v))
      throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${env[name]}")`);
    return v;
  };
  const smsProvider = pick('PLAZA_SMS_PROVIDER', ['none', 'webhook', 'twilio'] as const);
  const pushProvider = pick('PLAZA_PUSH_PROVIDER', ['none', 'webhook', 'fcm'] as const);
  const dkimDomain = env.PLAZA_DKIM_DOMAIN?.trim();
  const dkimSelector = env.PLAZA_DKIM_SELECTOR?.trim();
  const dkimKey = env.PLAZA_DKIM_PRIVATE_KEY?.trim();
  const vapidPublic = env.PLAZA_VAPID_PUBLIC_KEY?.trim();
  const vapidPrivate = env.PLAZA_VAPID_PRIVATE_KEY?.trim();
  return {
    smtpUrl: env.PLAZA_SMTP_URL?.trim() || undefined,
    smtpPoolSize: intFrom(env, 'PLAZA_SMTP_POOL_SIZE', 5, 1, 100),
    mailFrom: env.PLAZA_MAIL_FROM?.trim() || 'Plaza <shop@plaza.localhost>',
    dkim:
      dkimDomain && dkimSelector && dkimKey
        ? { domain: dkimDomain, selector: dkimSelector, privateKey: dkimKey }
        : undefined,
    sms: { ...prefixed(env, 'PLAZA_SMS_'), ...prefixed(env, 'PLAZA_TWILIO_'), provider: smsProvider },
    push: { ...prefixed(env, 'PLAZA_PUSH_'), ...prefixed(env, 'PLAZA_FCM_'), provider: pushProvider },
    vapid:
      vapidPublic && vapidPrivate
        ? {
            publicKey: vapidPublic,
            privateKey: vapidPrivate,
            subject: env.PLAZA_VAPID_SUBJECT?.trim() || 'mailto:shop@plaza.localhost',
          }
        : undefined,
    smtpWebhookSecret: env.PLAZA_SMTP_WEBHOOK_SECRET?.trim() || undefined,
    sendConcurrency: intFrom(env, 'PLAZA_SEND_CONCURRENCY', 20, 1, 500),
    sendBatch: intFrom(env, 'PLAZA_SEND_BATCH', 200, 1, 10_000),
    providerTimeoutMs: intFrom(env, 'PLAZA_PROVIDER_TIMEOUT_MS', 10_000, 100, 120_000),
    planWorkers: intFrom(env, 'PLAZA_PLAN_WORKERS', 2, 1, 16),
  };
};

export interface EventsConfig {
  /** PLAZA_EVENTS_IP: `truncate` (default: IPv4 /24, IPv6 /48), `full`, or `drop` the client IP kept in `context.ip`. */
  ipMode: 'truncate' | 'full' | 'drop';
  /** PLAZA_EVENTS_MAX_PENDING: messages waiting for the group commit before /v1 answers 503 (default 50,000). */
  maxPending: number;
  /** PLAZA_EVENTS_FLUSH_MS: the longest a message waits for its group commit to start (default 5 ms). */
  flushMs: number;
  /** PLAZA_EVENTS_DEDUPE_DAYS: how long a messageId is remembered for de-duplication (default 7). */
  dedupeDays: number;
}

export class ConfigError extends Error {}

/** Fastify's `trustProxy`: false, true (every hop), or the addresses and CIDRs of trusted proxies. */
export type TrustProxy = boolean | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * PLAZA_TRUST_PROXY: `0`/false (default: X-Forwarded-For is ignored); the addresses or CIDRs of the
 * proxies in front of Plaza, separated by commas (`10.0.0.0/8,loopback`): the client is the last
 * address not from one of them, which a client cannot forge; or `1`/true (every hop: the first
 * address, which a client can forge unless the proxy overwrites the header). Fastify ignores hop
 * counts (it cannot check the peer), so they are refused.
 */
const trustProxyFrom = (env: NodeJS.ProcessEnv): TrustProxy => {
  const raw = env.PLAZA_TRUST_PROXY?.trim().toLowerCase() ?? '';
  if (['', '0', 'false', 'no', 'off'].includes(raw)) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  const list = raw.split(',').map((a) => a.trim());
  const valid = (a: string) => {
    const [ip, bits, extra] = a.split('/');
    if (extra !== undefined || !ip) return false;
    if (bits === undefined) return isIP(ip) !== 0 || PROXY_NAMES.has(ip);
    return isIP(ip) !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(ip) === 4 ? 32 : 128);
  };
  const bad = list.find((a) => !valid(a));
  if (bad !== undefined) {
    throw new ConfigError(
      'PLAZA_TRUST_PROXY must be 0, 1, or the addresses/CIDRs of your proxies separated by commas ' +
        `such as 10.0.0.0/8,loopback (got "${env.PLAZA_TRUST_PROXY}")`,
    );
  }
  return list;
};

const intFrom = (
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return n;
};

const boolFrom = (env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean => {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be 1/0, true/false, yes/no or on/off (got "${env[name]}")`);
};

/** Reads and validates configuration; throws ConfigError with a clear message on bad values. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const adminToken = env.PLAZA_ADMIN_TOKEN?.trim() || undefined;
  if (adminToken !== undefined && adminToken.length < 32) {
    throw new ConfigError('PLAZA_ADMIN_TOKEN must be at least 32 characters long');
  }
  const defaultCountry = (env.PLAZA_COUNTRY?.trim() || 'US').toUpperCase();
  if (!/^[A-Z]{2}$/.test(defaultCountry)) {
    throw new ConfigError('PLAZA_COUNTRY must be a two-letter ISO 3166 country code such as US or FR');
  }
  const privacyPepper = env.PLAZA_PRIVACY_KEY?.trim() || undefined;
  if (privacyPepper !== undefined && privacyPepper.length < 32) {
    throw new ConfigError('PLAZA_PRIVACY_KEY must be at least 32 characters long');
  }
  const adminOrigins = (env.PLAZA_ADMIN_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      const origin = normalizeOrigin(o);
      if (!origin) {
        throw new ConfigError(
          `PLAZA_ADMIN_ORIGINS must list origins such as https://console.example.com, separated by commas (got "${o}")`,
        );
      }
      return origin;
    });
  const ipMode = (env.PLAZA_EVENTS_IP?.trim().toLowerCase() || 'truncate') as EventsConfig['ipMode'];
  if (!['truncate', 'full', 'drop'].includes(ipMode)) {
    throw new ConfigError(`PLAZA_EVENTS_IP must be truncate, full or drop (got "${env.PLAZA_EVENTS_IP}")`);
  }
  return {
    port: intFrom(env, 'PORT', 9000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl,
    dataDir: resolve(env.PLAZA_DATA_DIR?.trim() || '.plaza'),
    adminToken,
    demo: boolFrom(env, 'PLAZA_DEMO', true),
    demoHistory: boolFrom(env, 'PLAZA_DEMO_HISTORY', true),
    webDist: resolve(env.PLAZA_WEB_DIST?.trim() || fileURLToPath(new URL('../../web/dist', import.meta.url))),
    shopChannelKey: env.PLAZA_SHOP_CHANNEL_KEY?.trim() || undefined,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    poolSize: intFrom(env, 'PLAZA_DB_POOL_SIZE', 10, 1, 200),
    workers: boolFrom(env, 'PLAZA_WORKERS', true),
    trustProxy: trustProxyFrom(env),
    paymentTimeoutMs: intFrom(env, 'PLAZA_PAYMENT_TIMEOUT_MS', 10_000, 10, 120_000),
    publicUrl: env.PLAZA_PUBLIC_URL?.trim() || undefined,
    defaultCountry,
    privacyPepper,
    adminOrigins,
    events: {
      ipMode,
      maxPending: intFrom(env, 'PLAZA_EVENTS_MAX_PENDING', 50_000, 100, 10_000_000),
      flushMs: intFrom(env, 'PLAZA_EVENTS_FLUSH_MS', 5, 0, 1000),
      dedupeDays: intFrom(env, 'PLAZA_EVENTS_DEDUPE_DAYS', 7, 1, 90),
    },
    messaging: messagingFrom(env),
    nats: natsFrom(env, (message) => new ConfigError(message)),
    limits: limitsFrom(
      env,
      (name, fallback, min, max) => intFrom(env, name, fallback, min, max),
      (name, fallback) => boolFrom(env, name, fallback),
      (message) => new ConfigError(message),
    ),
  };
};
