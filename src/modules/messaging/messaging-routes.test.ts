/**
 * The mailbox fallback and its routes, push devices on /store, Web Push against a local push
 * service, and the providers' callbacks with good and bad signatures.
 */
import { createECDH, createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { loadConfig } from '../../platform/config.ts';
import { signStandard } from '../../platform/outbox/signing.ts';
import { getEndpoint, upsertEndpoint } from './endpoints.ts';
import { providers } from './registry.ts';
import type { OutgoingMessage } from './types.ts';
import { decryptWebPush as decrypt } from './web-push-decrypt.test-helper.ts';

const CUS = 'cus_01JMSGTEST00000000000000AA';
const SMS_SECRET = 'whsec_c21zLXNlY3JldC1mb3ItcGxhemEtdGVzdHM=';
const SMTP_SECRET = 'whsec_c210cC1zZWNyZXQtZm9yLXBsYXphLXRlc3Rz';
const sendId = (n: number) => `msg_01JMSG${String(n).padStart(20, '0')}`;
let t: TestApp;
let key = '';
let push: Server;
let pushBase = '';
const pushed: { url: string; headers: Record<string, string | string[] | undefined>; body: Buffer }[] = [];
let pushStatus = 201;

const email = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  sendId: sendId(1),
  medium: 'email',
  to: 'ada@example.com',
  customerId: CUS,
  marketing: true,
  subject: 'Hello Ada',
  html: '<p>Hi</p>',
  text: 'Hi',
  unsubscribeUrl: 'https://shop.example.com/t/u/abc',
  ...over,
});

beforeAll(async () => {
  t = await createTestApp({
    env: {
      PLAZA_PUBLIC_URL: 'https://shop.example.com',
      PLAZA_SMS_PROVIDER: 'twilio',
      PLAZA_TWILIO_ACCOUNT_SID: 'AC0001',
      PLAZA_TWILIO_AUTH_TOKEN: 'tw-token',
      PLAZA_TWILIO_FROM: '+15005550006',
      PLAZA_SMS_WEBHOOK_SECRET: SMS_SECRET,
      PLAZA_SMTP_WEBHOOK_SECRET: SMTP_SECRET,
    },
  });
  key = (await t.channel()).key;
  await t.deps.db.query(
    `INSERT INTO customers (id, email, created_at, updated_at, status) VALUES ($1, 'ada@example.com', now(), now(), 'active')`,
    [CUS],
  );
  push = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pushed.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(pushStatus, { location: `${pushBase}/m/1` }).end();
    });
  });
  await new Promise<void>((r) => push.listen(0, '127.0.0.1', r));
  pushBase = `http://127.0.0.1:${(push.address() as { port: number }).port}`;
});

afterAll(async () => {
  await providers(t.deps).close();
  await new Promise<void>((r) => push.close(() => r()));
  await t.close();
});

describe('the built-in mailbox', () => {
  it('takes e-mail when no SMTP server is configured; GET /admin/mailbox lists it, /:id shows it all', async () => {
    const p = providers(t.deps).get('email');
    expect(p?.name).toBe('mailbox');
    const r = await p?.send(email());
    expect(r).toMatchObject({ ok: true, provider: 'mailbox' });
    // the same send again (a resend after a lost lease) is the same message
    const again = await p?.send(email());
    expect(again).toEqual(r);
    const list = await t.admin<{ data: { id: string; to: string; subject: string; send_id: string }[] }>(
      'GET',
      '/mailbox',
    );
    expect(list.status).toBe(200);
    expect(list.body.data.filter((m) => m.send_id === sendId(1))).toHaveLength(1);
    const id = list.body.data[0]?.id ?? '';
    expect(list.body.data[0]).toMatchObject({
      to: 'ada@example.com',
      subject: 'Hello Ada',
      send_id: sendId(1),
    });
    const one = await t.admin<{
      html: string;
      text: string;
      headers: Record<string, string>;
      customer_id: string;
    }>('GET', `/mailbox/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ html: '<p>Hi</p>', text: 'Hi', customer_id: CUS });
    expect(one.body.headers).toMatchObject({
      'Message-ID': `<${sendId(1)}@plaza>`,
      'List-Unsubscribe': '<https://shop.example.com/t/u/abc>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect((await t.admin('GET', '/mailbox/mbx_01JZZZZZZZZZZZZZZZZZZZZZZZ')).status).toBe(404);
    expect((await t.call('GET', '/admin/mailbox')).status).toBe(401);
  });

  it('pages newest first with a cursor', async () => {
    const p = providers(t.deps).get('email');
    for (let i = 2; i <= 6; i++) {
      t.clock.advance(1000);
      await p?.send(email({ sendId: sendId(i), subject: `n${i}` }));
    }
    const first = await t.admin<{ data: { subject: string }[]; next_cursor: string }>(
      'GET',
      '/mailbox?limit=2',
    );
    expect(first.body.data.map((m) => m.subject)).toEqual(['n6', 'n5']);
    const second = await t.admin<{ data: { subject: string }[] }>(
      'GET',
      `/mailbox?limit=2&cursor=${first.body.next_cursor}`,
    );
    expect(second.body.data.map((m) => m.subject)).toEqual(['n4', 'n3']);
  });
});

describe('push devices on /store', () => {
  it('gives one VAPID public key, generated once and kept', async () => {
    const a = await t.call<{ public_key: string }>('GET', '/store/push/vapid-key', { key });
    expect(a.status).toBe(200);
    expect(Buffer.from(a.body.public_key, 'base64url')).toHaveLength(65);
    const stored = await t.deps.db.query<{ value: { publicKey: string } }>(
      `SELECT value FROM plaza_settings WHERE key = 'messaging.vapid'`,
    );
    expect(stored.rows[0]?.value.publicKey).toBe(a.body.public_key);
    expect((await t.call('GET', '/store/push/vapid-key')).status).toBe(401);
  });

  it('registers a browser subscription for a visitor (https only) and lets only its owner remove it', async () => {
    const body = {
      endpoint: 'https://fcm.googleapis.com/fcm/send/abc123',
      keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) },
      anonymous_id: 'anon-1',
    };
    const created = await t.call<{ id: string; kind: string }>('POST', '/store/push/subscriptions', {
      key,
      body,
    });
    expect(created.status).toBe(201);
    expect(created.body.kind).toBe('web_push');
    for (const endpoint of ['http://push.example.com/x', 'https://127.0.0.1/x', 'https://localhost/x']) {
      expect(
        (await t.call('POST', '/store/push/subscriptions', { key, body: { ...body, endpoint } })).status,
      ).toBe(400);
    }
    const { anonymous_id: _, ...noOwner } = body;
    expect((await t.call('POST', '/store/push/subscriptions', { key, body: noOwner })).status).toBe(400);
    const id = created.body.id;
    expect(
      (await t.call('DELETE', `/store/push/subscriptions/${id}?anonymous_id=anon-2`, { key })).status,
    ).toBe(404);
    expect(
      (await t.call('DELETE', `/store/push/subscriptions/${id}?anonymous_id=anon-1`, { key })).status,
    ).toBe(204);
    expect((await getEndpoint(t.deps.db, id))?.revoked_at).not.toBeNull();
  });

  it('registers an app token (FCM) once per token', async () => {
    const body = { token: 'fcm-token-xyz-123', platform: 'android', anonymous_id: 'anon-3' };
    const a = await t.call<{ id: string; kind: string }>('POST', '/store/push/devices', { key, body });
    const b = await t.call<{ id: string }>('POST', '/store/push/devices', { key, body });
    expect(a.status).toBe(201);
    expect(a.body.kind).toBe('fcm');
    expect(b.body.id).toBe(a.body.id);
  });
});

describe('Web Push', () => {
  it('sends an encrypted, VAPID-signed message the browser can read; 410 revokes the subscription', async () => {
    const ua = createECDH('prime256v1');
    ua.generateKeys();
    const authSecret = randomBytes(16);
    const ep = await upsertEndpoint(t.deps.db, {
      kind: 'web_push',
      address: `${pushBase}/push/sub-1`,
      customerId: CUS,
      anonymousId: null,
      p256dh: ua.getPublicKey().toString('base64url'),
      auth: authSecret.toString('base64url'),
      at: t.clock.now(),
    });
    const p = providers(t.deps).get('web_push');
    const m = {
      ...email(),
      medium: 'web_push' as const,
      to: ep.id,
      title: 'Back in stock',
      text: 'At your store',
      url: 'https://shop.example.com/p/1',
    };
    const r = await p?.send(m);
    expect(r).toEqual({ ok: true, provider: 'web-push', providerMessageId: `${pushBase}/m/1` });
    const got = pushed.at(-1);
    expect(got?.url).toBe('/push/sub-1');
    expect(got?.headers['content-encoding']).toBe('aes128gcm');
    expect(got?.headers.ttl).toBe('86400');
    const vapid = (await t.call<{ public_key: string }>('GET', '/store/push/vapid-key', { key })).body
      .public_key;
    const [, jwt = '', k] = /^vapid t=([\w.-]+), k=(.+)$/.exec(String(got?.headers.authorization)) ?? [];
    expect(k).toBe(vapid);
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());
    expect(claims).toMatchObject({ aud: pushBase, sub: 'mailto:shop@plaza.localhost' });
    expect(JSON.parse(decrypt(got?.body ?? Buffer.alloc(0), ua, authSecret))).toEqual({
      title: 'Back in stock',
      body: 'At your store',
      url: 'https://shop.example.com/p/1',
      send_id: sendId(1),
      tags: {},
    });
    pushStatus = 410;
    expect(await p?.send(m)).toMatchObject({ ok: false, permanent: true, bounce: true });
    expect((await getEndpoint(t.deps.db, ep.id))?.revoked_at).not.toBeNull();
    expect(await p?.send(m)).toMatchObject({ ok: false, permanent: true });
    expect(pushed).toHaveLength(2);
    pushStatus = 201;
  });
});

const callbacks = async (provider: string) =>
  (
    await t.deps.db.query<{ status: string }>(
      'SELECT status FROM message_callbacks WHERE provider = $1 ORDER BY id',
      [provider],
    )
  ).rows.map((r) => r.status);

const signed = (secret: string, body: string, at = t.clock.now()) => {
  const ts = Math.floor(at.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': 'evt_1',
    'webhook-timestamp': String(ts),
    'webhook-signature': signStandard(secret, 'evt_1', ts, body),
  };
};

/** Headers of a Twilio status callback, signed as Twilio signs (URL + sorted params, HMAC-SHA1). */
const twilioHeaders = (form: URLSearchParams) => {
  const pairs = [...form.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const data = `https://shop.example.com/hooks/messaging/twilio${pairs.map(([k, v]) => k + v).join('')}`;
  const sig = createHmac('sha1', 'tw-token').update(data).digest('base64');
  return { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig };
};

describe('provider callbacks', () => {
  it('Twilio: a status with a good X-Twilio-Signature is kept; a bad one is 401 and kept nowhere', async () => {
    const form = new URLSearchParams({
      MessageSid: 'SM42',
      MessageStatus: 'delivered',
      AccountSid: 'AC0001',
    });
    const headers = twilioHeaders(form);
    const ok = await t.call('POST', '/hooks/messaging/twilio', { headers, body: form.toString() });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ found: false, send_id: null });
    expect(await callbacks('twilio')).toEqual(['delivered']);
    const queued = new URLSearchParams({ MessageSid: 'SM42', MessageStatus: 'queued' });
    const bad = await t.call('POST', '/hooks/messaging/twilio', {
      headers: { ...headers },
      body: queued.toString(),
    });
    expect(bad.status).toBe(401);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(await callbacks('twilio')).toEqual(['delivered']);
  });

  it('generic webhook: signed JSON is applied; wrong secret, stale timestamp → 401; garbage → 400', async () => {
    const body = JSON.stringify({ id: sendId(1), status: 'delivered' });
    const ok = await t.call('POST', '/hooks/messaging/webhook', { headers: signed(SMS_SECRET, body), body });
    expect(ok.status).toBe(200);
    expect(await callbacks('sms-webhook')).toEqual(['delivered']);
    const wrong = await t.call('POST', '/hooks/messaging/webhook', {
      headers: signed(SMTP_SECRET, body),
      body,
    });
    expect(wrong.status).toBe(401);
    const stale = await t.call('POST', '/hooks/messaging/webhook', {
      headers: signed(SMS_SECRET, body, new Date(t.clock.now().getTime() - 600_000)),
      body,
    });
    expect(stale.status).toBe(401);
    for (const garbage of [
      '{not json',
      '[1,2]',
      JSON.stringify({ id: sendId(1), status: 'exploded' }),
      JSON.stringify({ id: sendId(1), status: 'delivered', detail: 'a\u0000b' }),
      JSON.stringify({ status: 'delivered' }),
    ]) {
      const r = await t.call('POST', '/hooks/messaging/webhook', {
        headers: signed(SMS_SECRET, garbage),
        body: garbage,
      });
      expect(r.status).toBe(400);
    }
    const xml = await t.call('POST', '/hooks/messaging/webhook', {
      headers: { ...signed(SMS_SECRET, '<x/>'), 'content-type': 'application/xml' },
      body: '<x/>',
    });
    expect(xml.status).toBe(415);
    expect(await callbacks('sms-webhook')).toEqual(['delivered']);
  });

  it('SMTP feed: a bounce for our Message-ID is applied; unsigned → 401; a foreign Message-ID → 400', async () => {
    const body = JSON.stringify({ message_id: `<${sendId(3)}@plaza>`, type: 'bounce', permanent: true });
    const ok = await t.call('POST', '/hooks/messaging/smtp', { headers: signed(SMTP_SECRET, body), body });
    expect(ok.status).toBe(200);
    expect(await callbacks('smtp')).toEqual(['bounced']);
    const unsigned = await t.call('POST', '/hooks/messaging/smtp', {
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    const foreign = JSON.stringify({ message_id: '<abc@gmail.com>', type: 'complaint' });
    expect(
      (
        await t.call('POST', '/hooks/messaging/smtp', {
          headers: signed(SMTP_SECRET, foreign),
          body: foreign,
        })
      ).status,
    ).toBe(400);
    expect(await callbacks('smtp')).toEqual(['bounced']);
  });
});

describe('callbacks reach the send ledger', () => {
  it("Twilio's undelivered for a dead number marks the send bounced (found by the provider's sid)", async () => {
    const id = sendId(50);
    await t.deps.db.query(
      `INSERT INTO message_sends (id, source_kind, source_key, customer_id, medium, marketing, status, due_at,
         provider, provider_message_id, address, attempts, created_at, sent_at, updated_at)
       VALUES ($1, 'transactional', 'txn:test:1', $2, 'sms', false, 'sent', now(), 'twilio', 'SM77', '+4915112345678', 1, now(), now(), now())`,
      [id, CUS],
    );
    const form = new URLSearchParams({
      MessageSid: 'SM77',
      MessageStatus: 'undelivered',
      ErrorCode: '30006',
    });
    const headers = twilioHeaders(form);
    const r = await t.call('POST', '/hooks/messaging/twilio', { headers, body: form.toString() });
    expect(r.body).toEqual({ found: true, send_id: id });
    const row = await t.deps.db.query<{ delivery: string }>(
      'SELECT delivery FROM message_sends WHERE id = $1',
      [id],
    );
    expect(row.rows[0]?.delivery).toBe('bounced');
  });
});

describe('the registry follows the configuration', () => {
  const reg = (env: Record<string, string>) => providers({ ...t.deps, config: loadConfig({ ...env }) });

  it('SMTP when PLAZA_SMTP_URL is set, else the mailbox; SMS and push only when fully configured', async () => {
    const smtp = reg({
      PLAZA_SMTP_URL: 'smtp://127.0.0.1:2525',
      PLAZA_SMS_PROVIDER: 'webhook',
      PLAZA_SMS_WEBHOOK_URL: 'https://sms.example.com/in',
    });
    expect(smtp.get('email')?.name).toBe('smtp');
    expect(smtp.get('sms')?.name).toBe('sms-webhook');
    expect(smtp.get('push')).toBeUndefined();
    expect(smtp.get('web_push')?.name).toBe('web-push');
    await smtp.close();
    const half = reg({
      PLAZA_SMS_PROVIDER: 'twilio',
      PLAZA_PUSH_PROVIDER: 'fcm',
      PLAZA_FCM_SERVICE_ACCOUNT: '{"nope":1}',
    });
    expect(half.get('email')?.name).toBe('mailbox');
    expect(half.get('sms')).toBeUndefined();
    expect(half.get('push')).toBeUndefined();
    const cfg = loadConfig({
      PLAZA_PUSH_PROVIDER: 'webhook',
      PLAZA_PUSH_WEBHOOK_URL: 'https://push.example.com/in',
    });
    const deps = { ...t.deps, config: cfg };
    expect(providers(deps)).toBe(providers(deps));
    expect(providers(deps).get('push')?.name).toBe('push-webhook');
  });
});
