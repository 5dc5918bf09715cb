import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { type Receiver, startReceiver } from '../../../test/support/receiver.ts';
import { OutboxDispatcher } from '../../platform/outbox/dispatcher.ts';
import { writeEvents } from '../../platform/outbox/events.ts';
import { verifySignature } from '../../platform/outbox/signing.ts';
import { WebhookSender, webhookBackoffMs } from '../../platform/outbox/webhooks.ts';

let t: TestApp;
let rx: Receiver;
let dispatcher: OutboxDispatcher;
let sender: WebhookSender;

beforeAll(async () => {
  t = await createTestApp();
  rx = await startReceiver();
  dispatcher = new OutboxDispatcher({ ...t.deps, subscribers: [] });
  sender = new WebhookSender({ ...t.deps, timeoutMs: 500 });
});
afterAll(async () => {
  await rx.close();
  await t.close();
});
beforeEach(async () => {
  rx.received.length = 0;
  rx.script.length = 0;
  await t.deps.db.query('UPDATE webhook_endpoints SET enabled = false');
  await dispatcher.runOnce(); // drain events written by earlier tests
});

interface Created {
  secret: string;
  endpoint: { id: string; event_types: string[]; secret_hint: string };
}

const emit = (...types: string[]) =>
  t.deps.db.tx((tx) =>
    writeEvents(
      tx,
      t.deps.clock,
      types.map((type) => ({ type, data: { type } })),
    ),
  );

const deliveries = async (endpointId: string, status = '') =>
  (
    await t.admin<{
      data: { status: string; attempts: number; event_type: string; id: string; last_status: number }[];
    }>('GET', `/webhooks/${endpointId}/deliveries${status ? `?status=${status}` : ''}`)
  ).body.data;

describe('webhook endpoints', () => {
  it('creates an endpoint showing the secret once, then only a hint', async () => {
    const r = await t.admin<Created>('POST', '/webhooks', { url: rx.url, event_types: ['order.*'] });
    expect(r.status).toBe(201);
    expect(r.body.secret).toMatch(/^whsec_/);
    const got = await t.admin('GET', `/webhooks/${r.body.endpoint.id}`);
    expect(JSON.stringify(got.body)).not.toContain(r.body.secret);
    expect(got.body.secret_hint).toBe(`…${r.body.secret.slice(-4)}`);
  });

  it('validates URLs and event filters', async () => {
    expect((await t.admin('POST', '/webhooks', { url: 'ftp://x.example' })).status).toBe(400);
    expect((await t.admin('POST', '/webhooks', { url: rx.url, event_types: ['Order Created'] })).status).toBe(
      400,
    );
    expect((await t.admin('POST', '/webhooks', { url: rx.url, max_attempts: 50 })).status).toBe(400);
  });

  it('delivers matching events, signed with HMAC-SHA256 over timestamp and body', async () => {
    const { body } = await t.admin<Created>('POST', '/webhooks', { url: rx.url, event_types: ['order.*'] });
    await emit('order.created', 'channel.created', 'order.paid');
    await dispatcher.runOnce();
    expect(await sender.runOnce()).toBe(2);
    expect(rx.received.map((r) => r.json.type).sort()).toEqual(['order.created', 'order.paid']);
    const first = rx.received[0];
    const sig = String(first?.headers['plaza-signature']);
    const nowSec = Math.floor(t.clock.now().getTime() / 1000);
    expect(verifySignature(body.secret, sig, first?.body ?? '', nowSec)).toBe(true);
    expect(verifySignature(body.secret, sig, `${first?.body} `, nowSec)).toBe(false);
    expect(verifySignature('whsec_wrong', sig, first?.body ?? '', nowSec)).toBe(false);
    expect(verifySignature(body.secret, sig, first?.body ?? '', nowSec + 3600)).toBe(false);
    expect(first?.headers['plaza-event-id']).toBe(first?.json.id);
    const list = await deliveries(body.endpoint.id, 'delivered');
    expect(list).toHaveLength(2);
  });

  it('retries failed deliveries with exponential backoff', async () => {
    const { body } = await t.admin<Created>('POST', '/webhooks', { url: rx.url, event_types: ['retry.*'] });
    rx.script.push(500, 503);
    await emit('retry.me');
    await dispatcher.runOnce();
    await sender.runOnce();
    let [d] = await deliveries(body.endpoint.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_status: 500 });
    expect(await sender.runOnce()).toBe(0); // not due yet
    t.clock.advance(webhookBackoffMs(1, () => 1));
    await sender.runOnce();
    [d] = await deliveries(body.endpoint.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 2, last_status: 503 });
    t.clock.advance(webhookBackoffMs(2, () => 1));
    await sender.runOnce();
    [d] = await deliveries(body.endpoint.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, last_status: 200 });
    expect(rx.received).toHaveLength(3);
    expect(new Set(rx.received.map((r) => r.json.id)).size).toBe(1);
  });

  it('dead-letters after max attempts (timeouts count), and redelivers on request', async () => {
    const { body } = await t.admin<Created>('POST', '/webhooks', {
      url: rx.url,
      event_types: ['dead.*'],
      max_attempts: 2,
    });
    rx.script.push(500, 0); // an error, then a hang (timeout)
    await emit('dead.letter');
    await dispatcher.runOnce();
    await sender.runOnce();
    t.clock.advance(webhookBackoffMs(1, () => 1));
    await sender.runOnce();
    const dead = await deliveries(body.endpoint.id, 'dead');
    expect(dead).toHaveLength(1);
    expect(dead[0]?.attempts).toBe(2);
    t.clock.advance(24 * 3_600_000);
    expect(await sender.runOnce()).toBe(0);

    const again = await t.admin<{ status: string; attempts: number }>(
      'POST',
      `/webhooks/${body.endpoint.id}/deliveries/${dead[0]?.id}/redeliver`,
    );
    expect(again.body).toMatchObject({ status: 'pending', attempts: 0 });
    await sender.runOnce();
    expect((await deliveries(body.endpoint.id))[0]?.status).toBe('delivered');
  });

  it('stops delivering to a disabled endpoint and can rotate its secret', async () => {
    const { body } = await t.admin<Created>('POST', '/webhooks', { url: rx.url, event_types: ['off.*'] });
    const off = await t.admin('PATCH', `/webhooks/${body.endpoint.id}`, { enabled: false });
    expect(off.body.enabled).toBe(false);
    await emit('off.event');
    await dispatcher.runOnce();
    await sender.runOnce();
    expect(rx.received).toHaveLength(0);
    const rotated = await t.admin<Created>('POST', `/webhooks/${body.endpoint.id}/rotate-secret`);
    expect(rotated.body.secret).not.toBe(body.secret);
  });

  it('lists outbox events with filters and retries failed ones', async () => {
    await emit('browse.one', 'browse.two');
    const r = await t.admin<{ data: { type: string }[] }>('GET', '/events?type=browse.*&limit=10');
    expect(r.body.data.map((e) => e.type).sort()).toEqual(['browse.one', 'browse.two']);
    const id = (r.body.data[0] as unknown as { id: string }).id;
    const notFailed = await t.admin('POST', `/events/${id}/retry`);
    expect(notFailed.status).toBe(409);
    expect(notFailed.body.code).toBe('INVALID_STATE_TRANSITION');
    await t.deps.db.query("UPDATE outbox_events SET status = 'failed' WHERE id = $1", [id]);
    const retried = await t.admin('POST', `/events/${id}/retry`);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
  });
});
