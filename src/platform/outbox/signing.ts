import { createHmac } from 'node:crypto';
import { hmacSha256, safeEqual } from '../crypto.ts';

/** Standard Webhooks headers (https://www.standardwebhooks.com). */
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** The Stripe-style header of earlier releases. Deprecated: still sent for one release (docs/webhooks.md). */
export const SIGNATURE_HEADER = 'plaza-signature';

export const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The HMAC key of a `whsec_…` secret: the base64 after the prefix, decoded. Node decodes both base64
 * alphabets, so secrets issued before Standard Webhooks (base64url) give the same bytes as their
 * standard-alphabet spelling. A secret in any other shape signs with its UTF-8 bytes.
 */
export const signingKey = (secret: string): Buffer => {
  const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  const key = BASE64.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
  return key.length > 0 ? key : Buffer.from(secret, 'utf8');
};

/** One Standard Webhooks signature: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`. */
export const signStandard = (secret: string, msgId: string, unixSeconds: number, body: string): string =>
  `v1,${createHmac('sha256', signingKey(secret)).update(`${msgId}.${unixSeconds}.${body}`).digest('base64')}`;

/**
 * The Standard Webhooks headers of one delivery. Every secret in `secrets` signs (the current one first,
 * then the previous one during a rotation's grace period), space-separated in `webhook-signature`.
 */
export const standardWebhookHeaders = (
  secrets: readonly string[],
  msgId: string,
  unixSeconds: number,
  body: string,
): Record<string, string> => ({
  [WEBHOOK_ID_HEADER]: msgId,
  [WEBHOOK_TIMESTAMP_HEADER]: String(unixSeconds),
  [WEBHOOK_SIGNATURE_HEADER]: secrets.map((s) => signStandard(s, msgId, unixSeconds, body)).join(' '),
});

/**
 * Deprecated `plaza-signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed with the
 * secret string itself, Stripe-style.
 */
export const signPayload = (secret: string, body: string, unixSeconds: number): string =>
  `t=${unixSeconds},v1=${hmacSha256(secret, `${unixSeconds}.${body}`)}`;

/**
 * Verifies a webhook signature header against the raw body (for receivers of Plaza webhooks).
 * Refuses timestamps further than `toleranceSeconds` from `nowSeconds` (replay protection).
 * @deprecated Verify `webhook-signature` with a Standard Webhooks library instead.
 */
export const verifySignature = (
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean => {
  const parts = new Map(
    header.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1) return false;
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  return safeEqual(hmacSha256(secret, `${t}.${body}`), v1);
};
