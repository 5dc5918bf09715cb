/**
 * The sender end to end into a real SMTP server: every recipient once (also with two workers on one
 * database), a lease that runs out is re-sent with the same Message-ID, temporary failures back off,
 * hard bounces suppress the address, and the gate is applied again at send time.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { addCampaign, addCustomers, startSmtp, type TestSmtp } from '../../../test/support/sends.ts';
import {
  enqueueSends,
  getSend,
  type NewSend,
  noteEngagement,
  type ProviderRegistry,
  recordDeliveryStatus,
  type SendRow,
} from '../../modules/messaging/index.ts';
import { smtpProvider } from '../../modules/messaging/providers/email-smtp.ts';
import { HOUR, MINUTE } from '../../platform/clock.ts';
import { openPostgres } from '../../platform/db.ts';
import { makeDeps } from '../../server.ts';
import { gateCheck } from './gate.ts';
import { runSender } from './sender.ts';
import { claimSends } from './sender-claim.ts';

let t: TestApp;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ env: { PLAZA_SMTP_URL: smtp.url, PLAZA_PROVIDER_TIMEOUT_MS: '15000' } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const rows = async (campaignId: string) =>
  (
    await t.deps.db.query<SendRow & { last_error: string | null; next_attempt_at: Date | null }>(
      'SELECT * FROM message_sends WHERE campaign_id = $1 ORDER BY id',
      [campaignId],
    )
  ).rows;

const plan = async (campaignId: string, customerIds: string[], medium: NewSend['medium'] = 'email') =>
  enqueueSends(
    t.deps.db,
    t.deps,
    customerIds.map((customerId) => ({
      sourceKind: 'campaign' as const,
      sourceKey: campaignId,
      campaignId,
      customerId,
      medium,
      marketing: true,
      variant: 'a',
      dueAt: t.clock.now(),
    })),
  );

/** Runs the sender until nothing is due. */
const drain = async (deps = t.deps) => {
  let total = 0;
  for (let n = await runSender(deps); n > 0; n = await runSender(deps)) total += n;
  return total;
};
const receivedBy = (to: string) => smtp.received.filter((m) => m.to === to).length;

describe('the sender', () => {
  it('sends a campaign to every recipient once, with the send id as Message-ID, and records why not', async () => {
    const db = t.deps.db;
    const ids = await addCustomers(db, [
      ...Array.from({ length: 12 }, () => ({ consent: ['email'] })),
      { consent: [] },
      { consent: ['email'], email: null },
    ]);
    const cmp = await addCampaign(db);
    expect((await plan(cmp, ids)).created).toBe(14);
    expect((await plan(cmp, ids)).created).toBe(0); // the ledger key: planned twice, once
    await drain();
    const sent = await rows(cmp);
    expect(sent.filter((r) => r.status === 'sent')).toHaveLength(12);
    expect(
      sent
        .filter((r) => r.status === 'skipped')
        .map((r) => r.skip_reason)
        .sort(),
    ).toEqual(['no_address', 'no_consent']);
    for (const r of sent.filter((x) => x.status === 'sent')) {
      expect(receivedBy(r.address as string)).toBe(1);
      expect(smtp.received.find((m) => m.to === r.address)?.messageId).toBe(`<${r.id}@plaza>`);
    }
    const stats = await db.query<{ metric: string; n: number }>(
      'SELECT metric, n FROM campaign_stats WHERE campaign_id = $1 ORDER BY metric',
      [cmp],
    );
    expect(stats.rows).toEqual([
      { metric: 'sent', n: 12 },
      { metric: 'skipped:no_address', n: 1 },
      { metric: 'skipped:no_consent', n: 1 },
    ]);
    // the "why not sent" trace and the customer's history
    const trace = await t.admin<{ data: { customer_id: string; skip_reason: string }[] }>(
      'GET',
      `/campaigns/${cmp}/sends?status=skipped&reason=no_consent`,
    );
    expect(trace.status).toBe(200);
    expect(trace.body.data.map((r) => r.customer_id)).toEqual([ids[12]]);
    const page = await t.admin<{ data: unknown[]; next_cursor: string }>(
      'GET',
      `/campaigns/${cmp}/sends?limit=8`,
    );
    const rest = await t.admin<{ data: unknown[]; next_cursor: string | null }>(
      'GET',
      `/campaigns/${cmp}/sends?limit=8&cursor=${page.body.next_cursor}`,
    );
    expect(page.body.data.length + rest.body.data.length).toBe(14);
    expect(rest.body.next_cursor).toBeNull();
    const history = await t.admin<{ data: { campaign_id: string; status: string; medium: string }[] }>(
      'GET',
      `/customers/${ids[0]}/messages`,
    );
    expect(history.body.data).toEqual([
      expect.objectContaining({ campaign_id: cmp, status: 'sent', medium: 'email' }),
    ]);
    expect((await t.admin('GET', '/customers/cus_01J00000000000000000000000/messages')).status).toBe(404);
  });

  it('sends each recipient exactly once with two workers on the same database', async () => {
    const db = t.deps.db;
    const ids = await addCustomers(
      db,
      Array.from({ length: 30 }, () => ({ consent: ['email'] })),
    );
    const cmp = await addCampaign(db);
    await plan(cmp, ids);
    // a second worker with its own connection pool (PostgreSQL); PGlite has one connection to share
    const other = t.testDb.url ? await openPostgres(t.testDb.url, { poolSize: 4 }) : t.deps.db;
    const deps2 = makeDeps({ db: other, config: t.deps.config, log: t.deps.log, clock: t.clock });
    try {
      await Promise.all([
        (async () => {
          while ((await runSender(t.deps, { batch: 7 })) > 0);
        })(),
        (async () => {
          while ((await runSender(deps2, { batch: 5 })) > 0);
        })(),
      ]);
    } finally {
      if (other !== t.deps.db) await other.close();
    }
    const all = await rows(cmp);
    expect(all.filter((r) => r.status === 'sent')).toHaveLength(30);
    for (const r of all) expect(receivedBy(r.address as string)).toBe(1);
  });

  it('never lets two claims at the same instant take marketing sends of one person (the cap sees one at a time)', async () => {
    const db = t.deps.db;
    // a second worker with its own connection pool (PostgreSQL); PGlite has one connection to share
    const other = t.testDb.url ? await openPostgres(t.testDb.url, { poolSize: 4 }) : t.deps.db;
    const deps2 = makeDeps({ db: other, config: t.deps.config, log: t.deps.log, clock: t.clock });
    try {
      for (let round = 0; round < 5; round++) {
        const ids = await addCustomers(
          db,
          Array.from({ length: 20 }, () => ({ consent: ['email'] })),
        );
        const [a, b] = [await addCampaign(db), await addCampaign(db)];
        await plan(a as string, ids);
        await plan(b as string, ids);
        const lease = { now: t.clock.now(), limit: 100, leaseMs: MINUTE };
        const [x, y] = await Promise.all([claimSends(t.deps, lease), claimSends(deps2, lease)]);
        const mine = [...x, ...y].filter((r) => r.campaign_id === a || r.campaign_id === b);
        expect(mine).toHaveLength(20); // one send per person now, the other waits for it
        expect(new Set(mine.map((r) => r.customer_id)).size).toBe(20);
        t.clock.advance(MINUTE + 1000); // let the leases run out: the next round starts clean
        await drain();
      }
    } finally {
      if (other !== t.deps.db) await other.close();
    }
  });

  it('re-sends a send whose lease ran out (a worker died) with the same Message-ID', async () => {
    const db = t.deps.db;
    const [id] = await addCustomers(db, [{ consent: ['email'] }]);
    const cmp = await addCampaign(db);
    await plan(cmp, [id as string]);
    const claimed = await claimSends(t.deps, { now: t.clock.now(), limit: 10, leaseMs: MINUTE });
    expect(claimed.map((r) => r.customer_id)).toEqual([id]);
    // the worker that claimed it is gone; nobody else may take it before the lease ends, nor another
    // marketing send of that person (the cap is checked once the first one is settled)
    const other = await addCampaign(db);
    await plan(other, [id as string]);
    expect(await runSender(t.deps)).toBe(0);
    t.clock.advance(MINUTE + 1000);
    expect(await drain()).toBe(2);
    const [row] = await rows(cmp);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.received.filter((m) => m.messageId === `<${row?.id}@plaza>`)).toHaveLength(1);
    expect((await rows(other))[0]).toMatchObject({ status: 'skipped', skip_reason: 'capped' });
  });

  it('retries temporary failures with backoff, then fails; a hard bounce suppresses the address', async () => {
    const db = t.deps.db;
    const [later, bounce] = (await addCustomers(db, [
      { consent: ['email'], email: `later-${Date.now()}@example.com` },
      { consent: ['email'], email: `bounce-${Date.now()}@example.com` },
    ])) as [string, string];
    const cmp = await addCampaign(db);
    await plan(cmp, [later, bounce]);
    await drain();
    let [a, b] = await rows(cmp);
    const first = [a, b].find((r) => r?.customer_id === later);
    const bounced = [a, b].find((r) => r?.customer_id === bounce);
    expect(bounced).toMatchObject({ status: 'failed', skip_reason: 'provider_failed' });
    expect(first).toMatchObject({ status: 'planned', attempts: 1, delay_reason: 'retry' });
    expect(first?.due_at.getTime()).toBe(t.clock.now().getTime() + MINUTE);
    for (const wait of [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR]) {
      t.clock.advance(wait);
      expect(await drain()).toBe(1);
    }
    [a, b] = await rows(cmp);
    expect([a, b].find((r) => r?.customer_id === later)).toMatchObject({
      status: 'failed',
      skip_reason: 'provider_failed',
      attempts: 5,
    });
    // the next campaign: the bounced address is not tried again
    const next = await gateCheck(db, t.deps, {
      customerIds: [bounce],
      medium: 'email',
      marketing: true,
      now: t.clock.now(),
    });
    expect(next.get(bounce)).toEqual({ ok: false, reason: 'bounced_before' });
    const stats = await db.query<{ n: number }>(
      `SELECT n FROM campaign_stats WHERE campaign_id = $1 AND metric = 'failed'`,
      [cmp],
    );
    expect(stats.rows[0]?.n).toBe(2);
  });

  it('checks the gate again at send time: quiet hours delay, the cap holds across campaigns in one batch', async () => {
    const db = t.deps.db;
    const saved = t.clock.now();
    try {
      t.clock.set('2026-02-10T13:00:00Z'); // 22:00 in Tokyo
      const [tokyo, both] = (await addCustomers(db, [
        { consent: ['email'], timezone: 'Asia/Tokyo' },
        { consent: ['email', 'sms'], phone: '+15035550123' },
      ])) as [string, string];
      const one = await addCampaign(db);
      const two = await addCampaign(db);
      await plan(one, [tokyo, both]);
      await plan(two, [both]);
      await drain();
      const quiet = (await rows(one)).find((r) => r.customer_id === tokyo);
      expect(quiet).toMatchObject({ status: 'planned', delay_reason: 'quiet_hours', attempts: 0 });
      expect(quiet?.due_at).toEqual(new Date('2026-02-10T23:00:00Z'));
      const both1 = (await rows(one)).find((r) => r.customer_id === both);
      const both2 = (await rows(two))[0];
      expect([both1?.status, both2?.status].sort()).toEqual(['sent', 'skipped']);
      expect([both1?.skip_reason, both2?.skip_reason]).toContain('capped');
      t.clock.set('2026-02-10T23:00:00Z');
      expect(await drain()).toBe(1);
      expect((await rows(one)).find((r) => r.customer_id === tokyo)?.status).toBe('sent');
    } finally {
      t.clock.set(saved);
    }
  });

  it('throttles a campaign per minute, skips a medium without provider, never sends a transactional twice', async () => {
    const db = t.deps.db;
    const ids = await addCustomers(
      db,
      Array.from({ length: 5 }, () => ({ consent: ['email', 'sms'], phone: '+15035550999' })),
    );
    const cmp = await addCampaign(db, { throttle: { email: 3 } });
    await plan(cmp, ids);
    expect(await drain()).toBe(3);
    t.clock.advance(MINUTE);
    expect(await drain()).toBe(2);
    expect((await rows(cmp)).every((r) => r.status === 'sent')).toBe(true);
    const sms = await addCampaign(db, { content: { sms: { text: 'Sale' } } });
    await plan(sms, [ids[0] as string], 'sms');
    t.clock.advance(2 * 24 * HOUR); // a fresh cap budget
    await drain();
    expect((await rows(sms))[0]).toMatchObject({ status: 'skipped', skip_reason: 'no_provider' });
    const txn = (n: number) =>
      enqueueSends(db, t.deps, [
        {
          sourceKind: 'transactional',
          sourceKey: 'txn:pickup_ready:ord_1',
          customerId: ids[1] as string,
          medium: 'email',
          marketing: false,
          dueAt: new Date(t.clock.now().getTime() - n),
          payload: { content: { email: { subject: 'Ready', text: 'Your order is ready' } } },
        },
      ]);
    expect((await txn(0)).created).toBe(1);
    await drain();
    expect((await txn(1)).created).toBe(0);
    await drain();
    const to = (await db.query<{ email: string }>('SELECT email FROM customers WHERE id = $1', [ids[1]]))
      .rows[0]?.email;
    // one campaign mail (above) and one transactional, despite the cap
    expect(receivedBy(to as string)).toBe(2);
  });

  it('retries a provider that hangs or answers garbage, with backoff', async () => {
    const db = t.deps.db;
    const servers: Server[] = [];
    const listen = (onConnect: (socket: Socket) => void) =>
      new Promise<number>((resolve) => {
        const server = createServer(onConnect);
        servers.push(server);
        server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
      });
    const hang = await listen(() => {}); // accepts, never says a word
    const garbage = await listen((socket) => socket.end('HTTP/1.1 400 What?\r\n\r\n'));
    try {
      for (const port of [hang, garbage]) {
        const provider = smtpProvider({
          url: `smtp://127.0.0.1:${port}`,
          poolSize: 1,
          from: 'shop@plaza.localhost',
          dkim: undefined,
          timeoutMs: 300,
          log: t.deps.log,
        });
        const registry: ProviderRegistry = {
          get: (m) => (m === 'email' ? provider : undefined),
          close: async () => {},
        };
        const [id] = await addCustomers(db, [{ consent: ['email'] }]);
        const cmp = await addCampaign(db);
        await plan(cmp, [id as string]);
        expect(await runSender(t.deps, { registry })).toBe(1);
        const [row] = await rows(cmp);
        expect(row).toMatchObject({ status: 'planned', attempts: 1, delay_reason: 'retry' });
        expect(row?.last_error).toMatch(/^smtp: /);
        expect(row?.due_at.getTime()).toBe(t.clock.now().getTime() + MINUTE);
        await provider.close?.();
        // with the real server back, the retry goes out
        t.clock.advance(MINUTE);
        await drain();
        expect((await rows(cmp))[0]).toMatchObject({ status: 'sent', attempts: 2 });
      }
    } finally {
      for (const s of servers) s.close();
    }
  });

  it('applies delivery callbacks: by provider id, once, and a hard bounce or complaint suppresses', async () => {
    const db = t.deps.db;
    const [a, b, c] = (await addCustomers(db, [
      { consent: ['email'] },
      { consent: ['email'] },
      { consent: ['email'] },
    ])) as [string, string, string];
    const cmp = await addCampaign(db);
    await plan(cmp, [a, b, c]);
    t.clock.advance(3 * 24 * HOUR); // a fresh cap budget
    await drain();
    const [ra, rb, rc] = await Promise.all(
      [a, b, c].map(async (id) => (await rows(cmp)).find((r) => r.customer_id === id) as SendRow),
    );
    const apply = (s: Parameters<typeof recordDeliveryStatus>[2]) =>
      db.tx((tx) => recordDeliveryStatus(tx, t.deps, s));
    const at = t.clock.now();
    const delivered = await apply({
      provider: 'smtp',
      providerMessageId: ra?.provider_message_id as string,
      status: 'delivered',
      at,
    });
    expect(delivered).toMatchObject({ found: true, sendId: ra?.id, changed: true });
    expect((await apply({ provider: 'smtp', sendId: ra?.id, status: 'delivered', at })).changed).toBe(false);
    expect((await getSend(db, ra?.id as string))?.delivery).toBe('delivered');
    expect(
      await apply({ provider: 'smtp', providerMessageId: '<nope@plaza>', status: 'delivered', at }),
    ).toEqual({ found: false });
    // a soft bounce does not suppress; a hard one (even after a soft one) and a complaint do
    expect(
      (await apply({ provider: 'smtp', sendId: rb?.id, status: 'bounced', permanent: false, at })).suppressed,
    ).toBe(false);
    const gate = (id: string) =>
      gateCheck(db, t.deps, { customerIds: [id], medium: 'email', marketing: false, now: at });
    expect((await gate(b)).get(b)).toMatchObject({ ok: true });
    expect(
      await apply({ provider: 'smtp', sendId: rb?.id, status: 'bounced', permanent: true, at }),
    ).toMatchObject({
      changed: false,
      suppressed: true,
    });
    expect((await apply({ provider: 'smtp', sendId: rc?.id, status: 'complained', at })).suppressed).toBe(
      true,
    );
    expect((await gate(b)).get(b)).toEqual({ ok: false, reason: 'bounced_before' });
    expect((await gate(c)).get(c)).toEqual({ ok: false, reason: 'bounced_before' });
    const facts = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_events WHERE type = 'message.delivery' AND aggregate_id = ANY($1)`,
      [[ra?.id, rb?.id, rc?.id]],
    );
    expect(facts.rows[0]?.n).toBe(5);
    // engagement: the first open counts, a click implies an open
    expect((await noteEngagement(db, rb?.id as string, 'clicked', at)).first).toBe(true);
    const again = await noteEngagement(db, rb?.id as string, 'opened', at);
    expect(again.first).toBe(false);
    expect(again.send?.opened_at).toEqual(at);
  });
});
