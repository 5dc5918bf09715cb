/**
 * Deliveries verified the way an integrator verifies them: the `standardwebhooks` package against a
 * real local HTTP receiver. Its timestamp check uses the real time, so this file's clock starts now.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { type Received, type Receiver, startReceiver } from '../../../test/support/receiver.ts';
import { TestClock } from '../../platform/clock.ts';
import { OutboxDispatcher } from '../../platform/outbox/dispatcher.ts';
import { writeEvents } from '../../platform/outbox/events.ts';
import { verifySignature } from '../../platform/outbox/signing.ts';
import { WebhookSender, webhookBackoffMs } from '../../platform/outbox/webhooks.ts';

let t: TestApp;
let rx: Receiver;
let dispatcher: OutboxDispatcher;
let sender: WebhookSender;

beforeAll(async () => {
  t = await createTestApp({ clock: new TestClock(new Date()) });
  rx = await startReceiver();
  dispatcher = new OutboxDispatcher({ ...t.deps, subscribers: [] });
  sender = new WebhookSender({ ...t.deps, timeoutMs: 500 });
});
afterAll(async () => {
  await rx.close();
  await t.close();
});
beforeEach(() => {
  rx.received.length = 0;
  rx.script.length = 0;
});

interface Created {
  secret: string;
  endpoint: { id: string; previous_secret_expires_at: string | null };
}

const endpoint = async (type: string) =>
  (await t.admin<Created>('POST', '/webhooks', { url: rx.url, event_types: [`${type}.*`] })).body;

/** Writes one event, dispatches it and sends its deliveries; returns what the receiver got. */
const deliver = async (type: string): Promise<Received> => {
  await t.deps.db.tx((tx) => writeEvents(tx, t.deps.clock, [{ type, data: { n: 1 } }]));
  await dispatcher.runOnce();
  await sender.runOnce();
  const got = rx.received.at(-1);
  if (!got) throw new Error('nothing delivered');
  return got;
};

const headersOf = (r: Received) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

const verifies = (secret: string, r: Received, body = r.body): boolean => {
  try {
    new Webhook(secret).verify(body, headersOf(r));
    return true;
  } catch {
    return false;
  }
};

/** The signature `secret` gives this delivery, computed by the standardwebhooks package. */
const signatureBy = (secret: string, r: Received): string =>
  new Webhook(secret).sign(
    String(r.headers['webhook-id']),
    new Date(Number(r.headers['webhook-timestamp']) * 1000),
    r.body,
  );

describe('Standard Webhooks signatures', () => {
  it('signs every delivery so that the standardwebhooks package verifies it', async () => {
    const { secret } = await endpoint('std');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const got = await deliver('std.created');
    expect(got.headers['webhook-id']).toBe(got.json.id);
    expect(Number(got.headers['webhook-timestamp'])).toBe(Math.floor(t.clock.now().getTime() / 1000));
    expect(String(got.headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(got.body, headersOf(got))).toEqual(got.json);
    expect(verifies(secret, got, got.body.replace('"n":1', '"n":2'))).toBe(false);
    expect(verifies(`whsec_${Buffer.alloc(24, 7).toString('base64')}`, got)).toBe(false);
    // The deprecated header is still there for one release.
    const nowSec = Math.floor(t.clock.now().getTime() / 1000);
    expect(verifySignature(secret, String(got.headers['plaza-signature']), got.body, nowSec)).toBe(true);
  });

  it('keeps the webhook-id of a message across retries', async () => {
    const { secret } = await endpoint('again');
    rx.script.push(500);
    const first = await deliver('again.created');
    t.clock.advance(webhookBackoffMs(1, () => 1));
    await sender.runOnce();
    const second = rx.received.at(-1) as Received;
    expect(rx.received).toHaveLength(2);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.headers['webhook-timestamp']).not.toBe(first.headers['webhook-timestamp']);
    expect(verifies(secret, second)).toBe(true);
  });

  it('signs with both secrets during the grace period of a rotation, then only the new one', async () => {
    const { secret: old, endpoint: e } = await endpoint('rot');
    const rotated = await t.admin<Created>('POST', `/webhooks/${e.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.secret;
    expect(fresh).not.toBe(old);
    const graceEnd = new Date(t.clock.now().getTime() + 24 * 3_600_000).toISOString();
    expect(rotated.body.endpoint.previous_secret_expires_at).toBe(graceEnd);

    const during = await deliver('rot.one');
    expect(String(during.headers['webhook-signature']).split(' ')).toEqual([
      signatureBy(fresh, during),
      signatureBy(old, during),
    ]);
    expect(verifies(fresh, during)).toBe(true);
    expect(verifies(old, during)).toBe(true);
    const nowSec = Math.floor(t.clock.now().getTime() / 1000);
    expect(verifySignature(fresh, String(during.headers['plaza-signature']), during.body, nowSec)).toBe(true);

    t.clock.advance(24 * 3_600_000 + 1000);
    const after = await deliver('rot.two');
    expect(String(after.headers['webhook-signature'])).toBe(signatureBy(fresh, after));
  });

  it('stops signing with the old secret at once when the rotation asks for no grace', async () => {
    t.clock.set(new Date());
    const { secret: old, endpoint: e } = await endpoint('now');
    const rotated = await t.admin<Created>('POST', `/webhooks/${e.id}/rotate-secret`, { grace_seconds: 0 });
    expect(rotated.body.endpoint.previous_secret_expires_at).toBeNull();
    const got = await deliver('now.one');
    expect(verifies(rotated.body.secret, got)).toBe(true);
    expect(verifies(old, got)).toBe(false);
    const tooLong = await t.admin('POST', `/webhooks/${e.id}/rotate-secret`, { grace_seconds: 8 * 86_400 });
    expect(tooLong.status).toBe(400);
  });

  it('signs with a secret issued before Standard Webhooks (base64url), verifiable in standard base64', async () => {
    t.clock.set(new Date());
    const { endpoint: e } = await endpoint('legacy');
    // Secrets of earlier releases: `whsec_` + base64url of 24 bytes, here with both url-safe characters.
    const bytes = Buffer.from('fbff3efbff3e0123456789abcdef0123456789abcdef0123', 'hex');
    const legacy = `whsec_${bytes.toString('base64url')}`;
    expect(legacy).toMatch(/[-_]/);
    await t.deps.db.query('UPDATE webhook_endpoints SET secret = $2 WHERE id = $1', [e.id, legacy]);
    const got = await deliver('legacy.one');
    expect(verifies(`whsec_${bytes.toString('base64')}`, got)).toBe(true);
    const nowSec = Math.floor(t.clock.now().getTime() / 1000);
    expect(verifySignature(legacy, String(got.headers['plaza-signature']), got.body, nowSec)).toBe(true);
  });
});
