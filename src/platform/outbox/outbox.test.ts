import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../clock.ts';
import { silentLogger } from '../log.ts';
import { createTestDb, type TestDb } from '../testing.ts';
import { OutboxDispatcher, subscriberBackoffMs } from './dispatcher.ts';
import { matchesType, type OutboxEvent, type Subscriber, writeEvent, writeEvents } from './events.ts';

let tdb: TestDb;
const clock = new TestClock();
const log = silentLogger();

beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(() => tdb.drop());
beforeEach(async () => {
  await tdb.db.query('DELETE FROM consumed_events');
  await tdb.db.query('DELETE FROM webhook_deliveries');
  await tdb.db.query('DELETE FROM outbox_events');
});

const status = async (id: string) =>
  (
    await tdb.db.query<{ status: string; attempts: number; last_error: string | null }>(
      'SELECT status, attempts, last_error FROM outbox_events WHERE id = $1',
      [id],
    )
  ).rows[0];

const recorder = (name: string, types: string[]) => {
  const seen: OutboxEvent[] = [];
  const sub: Subscriber = {
    name,
    types,
    async handle(_tx, e) {
      seen.push(e);
    },
  };
  return { sub, seen };
};

describe('matchesType', () => {
  it('matches exact types, prefixes and everything', () => {
    expect(matchesType('order.created', 'order.created')).toBe(true);
    expect(matchesType('order.*', 'order.created')).toBe(true);
    expect(matchesType('order.*', 'orders.created')).toBe(false);
    expect(matchesType('*', 'anything.at_all')).toBe(true);
    expect(matchesType('order.created', 'order.cancelled')).toBe(false);
  });
});

describe('outbox', () => {
  it('keeps events only when their transaction commits', async () => {
    await expect(
      tdb.db.tx(async (tx) => {
        await writeEvent(tx, clock, { type: 'test.rolled_back', data: {} });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await tdb.db.tx((tx) => writeEvents(tx, clock, [{ type: 'test.kept', data: { n: 1 } }]));
    const { rows } = await tdb.db.query<{ type: string }>('SELECT type FROM outbox_events');
    expect(rows.map((r) => r.type)).toEqual(['test.kept']);
  });

  it('delivers to matching subscribers in order and marks events dispatched', async () => {
    const orders = recorder('orders', ['order.*']);
    const all = recorder('all', ['*']);
    const ids = await tdb.db.tx((tx) =>
      writeEvents(tx, clock, [
        { type: 'order.created', aggregateType: 'order', aggregateId: 'ord_1', data: { n: 1 } },
        { type: 'channel.created', data: { n: 2 } },
        { type: 'order.paid', data: { n: 3 } },
      ]),
    );
    const d = new OutboxDispatcher({ db: tdb.db, clock, log, subscribers: [orders.sub, all.sub] });
    expect(await d.runOnce()).toBe(3);
    expect(orders.seen.map((e) => e.type)).toEqual(['order.created', 'order.paid']);
    expect(all.seen.map((e) => e.data.n)).toEqual([1, 2, 3]);
    expect(orders.seen[0]?.aggregateId).toBe('ord_1');
    for (const id of ids) expect((await status(id))?.status).toBe('dispatched');
    expect(await d.runOnce()).toBe(0);
  });

  it('skips events a subscriber does not accept, without a consumed mark', async () => {
    const seen: number[] = [];
    const picky: Subscriber = {
      name: 'picky',
      types: ['order.*'],
      accepts: (e) => e.data.kind === 'pickup',
      async handle(_tx, e) {
        seen.push(e.data.n as number);
      },
    };
    const ids = await tdb.db.tx((tx) =>
      writeEvents(tx, clock, [
        { type: 'order.ready', data: { n: 1, kind: 'pickup' } },
        { type: 'order.ready', data: { n: 2, kind: 'shipping' } },
      ]),
    );
    const d = new OutboxDispatcher({ db: tdb.db, clock, log, subscribers: [picky] });
    expect(await d.runOnce()).toBe(2);
    expect(seen).toEqual([1]);
    for (const id of ids) expect((await status(id))?.status).toBe('dispatched');
    const consumed = await tdb.db.query<{ event_id: string }>('SELECT event_id FROM consumed_events');
    expect(consumed.rows.map((r) => r.event_id)).toEqual([ids[0]]);
  });

  it('retries a failing subscriber with backoff without re-running the ones that succeeded', async () => {
    const ok = recorder('ok', ['*']);
    let failures = 2;
    const flaky: Subscriber = {
      name: 'flaky',
      types: ['*'],
      async handle() {
        if (failures-- > 0) throw new Error('downstream unavailable');
      },
    };
    const id = await tdb.db.tx((tx) => writeEvent(tx, clock, { type: 'test.flaky', data: {} }));
    const d = new OutboxDispatcher({ db: tdb.db, clock, log, subscribers: [ok.sub, flaky] });
    await d.runOnce();
    expect(await status(id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await status(id))?.last_error).toContain('downstream unavailable');
    expect(await d.runOnce()).toBe(0); // not before the backoff
    clock.advance(subscriberBackoffMs(1));
    await d.runOnce();
    clock.advance(subscriberBackoffMs(2));
    await d.runOnce();
    expect(await status(id)).toMatchObject({ status: 'dispatched', attempts: 3 });
    expect(ok.seen).toHaveLength(1);
  });

  it('dead-letters an event after the maximum attempts', async () => {
    const broken: Subscriber = {
      name: 'broken',
      types: ['*'],
      async handle() {
        throw new Error('always fails');
      },
    };
    const id = await tdb.db.tx((tx) => writeEvent(tx, clock, { type: 'test.dead', data: {} }));
    const d = new OutboxDispatcher({ db: tdb.db, clock, log, subscribers: [broken], maxAttempts: 3 });
    for (let i = 1; i <= 3; i++) {
      await d.runOnce();
      clock.advance(subscriberBackoffMs(i));
    }
    expect(await status(id)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(await d.runOnce()).toBe(0);
  });

  it('rolls back a subscriber transaction that fails, so its writes and its consumed mark vanish', async () => {
    let calls = 0;
    const writer: Subscriber = {
      name: 'writer',
      types: ['*'],
      async handle(tx, e) {
        calls++;
        await tx.query("INSERT INTO plaza_settings (key, value) VALUES ($1, '1')", [`seen:${e.id}`]);
        if (calls === 1) throw new Error('crash after writing');
      },
    };
    const id = await tdb.db.tx((tx) => writeEvent(tx, clock, { type: 'test.atomic', data: {} }));
    const d = new OutboxDispatcher({ db: tdb.db, clock, log, subscribers: [writer] });
    await d.runOnce();
    expect((await tdb.db.query('SELECT 1 FROM plaza_settings WHERE key = $1', [`seen:${id}`])).rowCount).toBe(
      0,
    );
    clock.advance(subscriberBackoffMs(1));
    await d.runOnce();
    expect((await tdb.db.query('SELECT 1 FROM plaza_settings WHERE key = $1', [`seen:${id}`])).rowCount).toBe(
      1,
    );
    expect(calls).toBe(2);
  });

  it('leaves a batch claimed by a crashed dispatcher alone until its lease runs out', async () => {
    const rec = recorder('lease', ['*']);
    const id = await tdb.db.tx((tx) => writeEvent(tx, clock, { type: 'test.lease', data: {} }));
    // Another process claimed it and died before settling.
    await tdb.db.query('UPDATE outbox_events SET locked_until = $2, attempts = 1 WHERE id = $1', [
      id,
      new Date(clock.now().getTime() + 30_000),
    ]);
    const d = new OutboxDispatcher({ db: tdb.db, clock, log, subscribers: [rec.sub] });
    expect(await d.runOnce()).toBe(0);
    clock.advance(30_001);
    expect(await d.runOnce()).toBe(1);
    expect(rec.seen.map((e) => e.id)).toEqual([id]);
  });
});
