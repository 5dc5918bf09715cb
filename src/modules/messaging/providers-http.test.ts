/**
 * SMS and app-push providers against local HTTP servers that check exactly what they receive:
 * the signed webhook, Twilio's Messages API, FCM HTTP v1 with its service-account token grant.
 */
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../platform/clock.ts';
import { signStandard } from '../../platform/outbox/signing.ts';
import { fcmProvider } from './providers/push-fcm.ts';
import { pushWebhookProvider } from './providers/push-webhook.ts';
import { twilioProvider } from './providers/sms-twilio.ts';
import { smsWebhookProvider } from './providers/sms-webhook.ts';
import type { OutgoingMessage } from './types.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let base = '';
const seen: Seen[] = [];
const routes = new Map<string, Handler>();
const hanging: ServerResponse[] = [];

const route = (path: string, h: Handler) => routes.set(path, h);
const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const clock = new TestClock('2026-03-01T12:00:00Z');
const SECRET = 'whsec_dGVzdC1zZWNyZXQtZm9yLXBsYXphLXNtcw==';
const sendId = (n: number) => `msg_01JHTTP${String(n).padStart(19, '0')}`;
const sms = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  sendId: sendId(1),
  medium: 'sms',
  to: '+4915112345678',
  customerId: 'cus_01JTEST0000000000000000000',
  marketing: true,
  text: 'Running shoes 20 % off at your store',
  tags: { campaign_id: 'cmp_1' },
  ...over,
});

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(s);
      const h = routes.get((req.url ?? '').split('?')[0] ?? '');
      if (h) h(s, res);
      else json(res, 404, { error: 'no route' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  for (const r of hanging) r.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const last = (path: string) => seen.filter((s) => s.url.split('?')[0] === path).at(-1);

describe('SMS by signed webhook', () => {
  const p = () => smsWebhookProvider({ url: `${base}/sms`, secret: SECRET, timeoutMs: 500, clock });

  it('POSTs {id, to, text, tags} signed with Standard Webhooks headers and the send id as Idempotency-Key', async () => {
    route('/sms', (_req, res) => json(res, 202, { id: 'gw-77' }));
    const r = await p().send(sms());
    expect(r).toEqual({ ok: true, provider: 'sms-webhook', providerMessageId: 'gw-77' });
    const got = last('/sms');
    expect(got?.method).toBe('POST');
    expect(JSON.parse(got?.body ?? '')).toEqual({
      id: sendId(1),
      to: '+4915112345678',
      text: 'Running shoes 20 % off at your store',
      tags: { campaign_id: 'cmp_1' },
    });
    expect(got?.headers['idempotency-key']).toBe(sendId(1));
    expect(got?.headers['webhook-id']).toBe(sendId(1));
    const ts = Number(got?.headers['webhook-timestamp']);
    expect(ts).toBe(Math.floor(clock.now().getTime() / 1000));
    expect(got?.headers['webhook-signature']).toBe(signStandard(SECRET, sendId(1), ts, got?.body ?? ''));
  });

  it('an empty 2xx answer is accepted under the send id; 4xx is permanent, 5xx retried, 410 a bounce', async () => {
    route('/sms', (_req, res) => res.writeHead(204).end());
    expect(await p().send(sms())).toEqual({
      ok: true,
      provider: 'sms-webhook',
      providerMessageId: sendId(1),
    });
    route('/sms', (_req, res) => json(res, 422, { error: 'bad number' }));
    expect(await p().send(sms())).toMatchObject({ ok: false, permanent: true });
    route('/sms', (_req, res) => json(res, 503, { error: 'down' }));
    expect(await p().send(sms())).toMatchObject({ ok: false, permanent: false });
    route('/sms', (_req, res) => json(res, 410, { error: 'gone' }));
    expect(await p().send(sms())).toMatchObject({ ok: false, permanent: true, bounce: true });
  });

  it('a receiver that never answers is a retryable failure after the timeout', async () => {
    route('/sms', (_req, res) => hanging.push(res));
    const started = Date.now();
    const r = await p().send(sms());
    expect(r).toMatchObject({ ok: false, permanent: false });
    expect(r.ok === false && r.error).toContain('500 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('SMS by Twilio', () => {
  const SID = 'AC00000000000000000000000000000001';
  const p = () =>
    twilioProvider({
      accountSid: SID,
      authToken: 'tw-token',
      from: '+15005550006',
      baseUrl: base,
      statusCallback: 'https://shop.example.com/hooks/messaging/twilio',
      timeoutMs: 500,
    });
  const path = `/2010-04-01/Accounts/${SID}/Messages.json`;

  it("POSTs Twilio's form with Basic auth and takes the answer's sid", async () => {
    route(path, (_req, res) => json(res, 201, { sid: 'SM123', status: 'queued' }));
    expect(await p().send(sms())).toEqual({ ok: true, provider: 'twilio', providerMessageId: 'SM123' });
    const got = last(path);
    expect(got?.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:tw-token`).toString('base64')}`);
    expect(got?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(got?.body))).toEqual({
      To: '+4915112345678',
      From: '+15005550006',
      Body: 'Running shoes 20 % off at your store',
      StatusCallback: 'https://shop.example.com/hooks/messaging/twilio',
    });
  });

  it('an invalid number (21211) is a permanent bounce; 429 is retried; garbage is a failure, not a throw', async () => {
    route(path, (_req, res) =>
      json(res, 400, { code: 21211, message: "The 'To' number is not valid", status: 400 }),
    );
    const bad = await p().send(sms());
    expect(bad).toMatchObject({ ok: false, provider: 'twilio', permanent: true, bounce: true });
    expect(bad.ok === false && bad.error).toContain('21211');
    route(path, (_req, res) => json(res, 429, { code: 20429, message: 'Too Many Requests' }));
    expect(await p().send(sms())).toMatchObject({ ok: false, permanent: false });
    route(path, (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>'));
    const garbage = await p().send(sms());
    expect(garbage).toMatchObject({ ok: false, permanent: false });
    expect(garbage.ok === false && garbage.error).toContain('without a message sid');
  });
});

describe('Push by signed webhook', () => {
  it('POSTs {id, to, title, text, url, tags}, signed', async () => {
    route('/push', (_req, res) => json(res, 200, {}));
    const p = pushWebhookProvider({ url: `${base}/push`, secret: SECRET, timeoutMs: 500, clock });
    const r = await p.send(
      sms({
        medium: 'push',
        to: 'device-token-1',
        title: 'Back in stock',
        url: 'https://shop.example.com/p/1',
      }),
    );
    expect(r).toEqual({ ok: true, provider: 'push-webhook', providerMessageId: sendId(1) });
    const got = last('/push');
    expect(JSON.parse(got?.body ?? '')).toEqual({
      id: sendId(1),
      to: 'device-token-1',
      title: 'Back in stock',
      text: 'Running shoes 20 % off at your store',
      url: 'https://shop.example.com/p/1',
      tags: { campaign_id: 'cmp_1' },
    });
    const ts = Number(got?.headers['webhook-timestamp']);
    expect(got?.headers['webhook-signature']).toBe(signStandard(SECRET, sendId(1), ts, got?.body ?? ''));
  });
});

describe('Push by FCM HTTP v1', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sa = {
    client_email: 'plaza@test-project.iam.gserviceaccount.com',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    token_uri: 'https://oauth2.googleapis.com/token',
    project_id: 'test-project',
  };
  const dead: string[] = [];
  let grants = 0;
  const p = fcmProvider({
    serviceAccount: sa,
    projectId: 'test-project',
    baseUrl: '',
    tokenUrl: '',
    timeoutMs: 500,
    clock,
    resolve: async (to) => (to === 'mep_unknown' ? undefined : to),
    onDeadToken: async (t) => {
      dead.push(t);
    },
  });
  const granted = () =>
    fcmProvider({
      serviceAccount: sa,
      projectId: 'test-project',
      baseUrl: base,
      tokenUrl: `${base}/token`,
      timeoutMs: 500,
      clock,
      resolve: async (t) => t,
      onDeadToken: async (t) => {
        dead.push(t);
      },
    });
  let provider: ReturnType<typeof granted>;

  beforeAll(() => {
    provider = granted();
    route('/token', (req, res) => {
      grants++;
      const form = new URLSearchParams(req.body);
      const [h, c, s] = (form.get('assertion') ?? '').split('.');
      const okSig = createVerify('RSA-SHA256')
        .update(`${h}.${c}`)
        .verify(publicKey, Buffer.from(s ?? '', 'base64url'));
      const claims = JSON.parse(Buffer.from(c ?? '', 'base64url').toString());
      if (
        form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' ||
        !okSig ||
        claims.iss !== sa.client_email ||
        claims.aud !== `${base}/token` ||
        claims.scope !== 'https://www.googleapis.com/auth/firebase.messaging' ||
        claims.exp - claims.iat !== 3600
      )
        return json(res, 400, { error: 'invalid_grant' });
      json(res, 200, { access_token: `ya29.token-${grants}`, expires_in: 3599, token_type: 'Bearer' });
    });
    route('/v1/projects/test-project/messages:send', (req, res) => {
      if (req.headers.authorization !== `Bearer ya29.token-${grants}`)
        return json(res, 401, { error: { status: 'UNAUTHENTICATED' } });
      const token = JSON.parse(req.body).message.token;
      if (token === 'dead-token')
        return json(res, 404, {
          error: {
            code: 404,
            status: 'NOT_FOUND',
            details: [
              { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' },
            ],
          },
        });
      if (token === 'busy-token') return json(res, 503, { error: { code: 503, status: 'UNAVAILABLE' } });
      json(res, 200, { name: `projects/test-project/messages/0:${token}` });
    });
  });

  it('grants a token with an RS256 JWT once, then sends {message:{token, notification, data}} with it', async () => {
    const m = sms({ medium: 'push', to: 'tok-A', title: 'Hello', url: 'https://shop.example.com/x' });
    expect(await provider.send(m)).toEqual({
      ok: true,
      provider: 'fcm',
      providerMessageId: 'projects/test-project/messages/0:tok-A',
    });
    expect(await provider.send({ ...m, to: 'tok-B' })).toMatchObject({ ok: true });
    expect(grants).toBe(1);
    expect(JSON.parse(last('/v1/projects/test-project/messages:send')?.body ?? '')).toEqual({
      message: {
        token: 'tok-B',
        notification: { title: 'Hello', body: 'Running shoes 20 % off at your store' },
        data: { campaign_id: 'cmp_1', send_id: sendId(1), url: 'https://shop.example.com/x' },
      },
    });
    // the cached token is renewed once it is about to expire
    // (messages waiting for a token at the same time share one grant)
    clock.advance(3600_000);
    const rs = await Promise.all(['tok-C', 'tok-D', 'tok-E'].map((to) => provider.send({ ...m, to })));
    expect(rs.every((r) => r.ok)).toBe(true);
    expect(grants).toBe(2);
  });

  it('UNREGISTERED is a permanent bounce and revokes the token; UNAVAILABLE is retried', async () => {
    const m = sms({ medium: 'push', title: 'Hi' });
    expect(await provider.send({ ...m, to: 'dead-token' })).toMatchObject({
      ok: false,
      permanent: true,
      bounce: true,
    });
    expect(dead).toEqual(['dead-token']);
    expect(await provider.send({ ...m, to: 'busy-token' })).toMatchObject({ ok: false, permanent: false });
  });

  it('an unknown device or an unreachable token server is a failure result', async () => {
    expect(await p.send(sms({ medium: 'push', to: 'mep_unknown' }))).toMatchObject({
      ok: false,
      permanent: true,
    });
    const r = await p.send(sms({ medium: 'push', to: 'tok' }));
    expect(r).toMatchObject({ ok: false, permanent: false });
    expect(r.ok === false && r.error).toContain('token grant');
  });
});
