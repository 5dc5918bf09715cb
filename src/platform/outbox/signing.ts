import { hmacSha256, safeEqual } from '../crypto.ts';

export const SIGNATURE_HEADER = 'plaza-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, Stripe-style. */
export const signPayload = (secret: string, body: string, unixSeconds: number): string =>
  `t=${unixSeconds},v1=${hmacSha256(secret, `${unixSeconds}.${body}`)}`;

/**
 * Verifies a webhook signature header against the raw body (for receivers of Plaza webhooks).
 * Refuses timestamps further than `toleranceSeconds` from `nowSeconds` (replay protection).
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
