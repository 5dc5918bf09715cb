/**
 * App push through Firebase Cloud Messaging HTTP v1 (PLAZA_PUSH_PROVIDER=fcm): POST
 * {base}/v1/projects/{project}/messages:send with a Bearer access token that a service account
 * (PLAZA_FCM_SERVICE_ACCOUNT) obtains by an RS256-signed JWT grant, cached until shortly before it expires.
 */
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Clock } from '../../../platform/clock.ts';
import type { MessageProvider, ProviderResult } from '../types.ts';
import { excerpt, failure, httpCall, trimBase } from './http.ts';

const NAME = 'fcm';
const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
/** FCM error codes that mean the token is gone or was never valid: revoke the device. */
const DEAD_TOKEN = new Set(['UNREGISTERED', 'INVALID_ARGUMENT', 'SENDER_ID_MISMATCH']);

export interface ServiceAccount {
  client_email: string;
  private_key: string;
  token_uri: string;
  project_id?: string;
}

/** A service account key as JSON text or the path of its file; throws a readable error otherwise. */
export const readServiceAccount = (value: string): ServiceAccount => {
  const text = value.trim().startsWith('{') ? value : readFileSync(value, 'utf8');
  const v = JSON.parse(text) as Record<string, unknown>;
  if (typeof v.client_email !== 'string' || typeof v.private_key !== 'string')
    throw new Error('the service account has no client_email or private_key');
  return {
    client_email: v.client_email,
    private_key: v.private_key,
    token_uri: typeof v.token_uri === 'string' ? v.token_uri : 'https://oauth2.googleapis.com/token',
    ...(typeof v.project_id === 'string' ? { project_id: v.project_id } : {}),
  };
};

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

/** The signed JWT of an OAuth 2.0 service-account grant (RFC 7523). */
export const grantJwt = (sa: ServiceAccount, tokenUrl: string, nowSeconds: number): string => {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = b64url(
    JSON.stringify({
      iss: sa.client_email,
      scope: SCOPE,
      aud: tokenUrl,
      iat: nowSeconds,
      exp: nowSeconds + 3600,
    }),
  );
  const sig = createSign('RSA-SHA256').update(`${head}.${claims}`).sign(sa.private_key);
  return `${head}.${claims}.${b64url(sig)}`;
};

export interface FcmOptions {
  serviceAccount: ServiceAccount;
  projectId: string;
  baseUrl: string;
  tokenUrl: string;
  timeoutMs: number;
  clock: Clock;
  /** The registration token of `to` (a token, or a device id `mep_…`); undefined: unknown device. */
  resolve(to: string): Promise<string | undefined>;
  /** Called when FCM says a token is dead (the device is revoked). */
  onDeadToken(token: string): Promise<void>;
}

const fcmErrorCode = (json: unknown): string | undefined => {
  const err = (json as { error?: { status?: unknown; details?: unknown } } | undefined)?.error;
  if (!err) return undefined;
  if (Array.isArray(err.details)) {
    for (const d of err.details) {
      const code = (d as { errorCode?: unknown }).errorCode;
      if (typeof code === 'string') return code;
    }
  }
  return typeof err.status === 'string' ? err.status : undefined;
};

export const fcmProvider = (o: FcmOptions): MessageProvider => {
  let cached: { token: string; until: number } | undefined;
  const url = `${trimBase(o.baseUrl)}/v1/projects/${encodeURIComponent(o.projectId)}/messages:send`;

  const grant = async (now: number): Promise<{ token: string } | { error: string }> => {
    const assertion = grantJwt(o.serviceAccount, o.tokenUrl, Math.floor(now / 1000));
    const body = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    });
    const r = await httpCall(
      o.tokenUrl,
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() },
      o.timeoutMs,
    );
    if (!r.ok) return { error: `token grant: ${r.error}` };
    const j = r.answer.json as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (r.answer.status !== 200 || typeof j?.access_token !== 'string')
      return { error: `token grant: HTTP ${r.answer.status}: ${excerpt(r.answer.text)}` };
    const ttl = typeof j.expires_in === 'number' && j.expires_in > 0 ? j.expires_in : 3600;
    // renewed a minute early, so a token never expires on its way to FCM
    cached = { token: j.access_token, until: now + Math.max(0, ttl - 60) * 1000 };
    return { token: j.access_token };
  };
  /** One grant at a time: the messages waiting for a token share it. */
  let pending: Promise<{ token: string } | { error: string }> | undefined;
  const accessToken = (): Promise<{ token: string } | { error: string }> => {
    const now = o.clock.now().getTime();
    if (cached && cached.until > now) return Promise.resolve({ token: cached.token });
    pending ??= grant(now).finally(() => {
      pending = undefined;
    });
    return pending;
  };

  return {
    name: NAME,
    medium: 'push',
    async send(m): Promise<ProviderResult> {
      const token = await o.resolve(m.to);
      if (!token) return failure(NAME, `no device ${m.to}`, true, false);
      const auth = await accessToken();
      if ('error' in auth) return failure(NAME, auth.error, false);
      const data: Record<string, string> = { ...(m.tags ?? {}), send_id: m.sendId };
      if (m.url) data.url = m.url;
      const body = JSON.stringify({
        message: { token, notification: { title: m.title ?? '', body: m.text }, data },
      });
      const r = await httpCall(
        url,
        { headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'application/json' }, body },
        o.timeoutMs,
      );
      if (!r.ok) return failure(NAME, r.error, false);
      const { status, text, json } = r.answer;
      if (status === 200) {
        const name = (json as { name?: unknown } | undefined)?.name;
        if (typeof name === 'string' && name.length > 0)
          return { ok: true, provider: NAME, providerMessageId: name };
        return failure(NAME, `HTTP 200 without a message name: ${excerpt(text)}`, false);
      }
      if (status === 401) cached = undefined;
      const code = fcmErrorCode(json);
      if (code && DEAD_TOKEN.has(code)) {
        await o.onDeadToken(token).catch(() => undefined);
        return failure(NAME, `HTTP ${status} ${code}: ${excerpt(text)}`, true, true);
      }
      // QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL, THIRD_PARTY_AUTH_ERROR, 401: retry later
      return failure(NAME, `HTTP ${status}${code ? ` ${code}` : ''}: ${excerpt(text)}`, false);
    },
  };
};
