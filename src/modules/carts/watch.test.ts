import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { CART_CHANNEL, insertCartWithLines, updateCart, watchCart } from './repo.ts';

let t: TestApp;
let channelId: string;
const heard: string[] = [];
let stop: () => Promise<void>;

beforeAll(async () => {
  t = await createTestApp();
  channelId = (await t.channel()).id;
  stop = await t.deps.db.listen(CART_CHANNEL, (p) => heard.push(p));
}, 60_000);
afterAll(async () => {
  await stop();
  await t.close();
});

const newCart = (id: string) =>
  insertCartWithLines(
    t.deps.db,
    {
      id,
      token_hash: null,
      customer_id: null,
      origin_channel_id: channelId,
      email: null,
      created_at: new Date(),
      anonymous_id: null,
    },
    [],
  );

/** Waits until `payload` was heard, or `ms` passed; returns whether it was. */
const hears = async (payload: string, ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (heard.includes(payload)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return heard.includes(payload);
};

describe('cart change announcements', () => {
  it('are sent only while a stream watches the cart', async () => {
    await newCart('cart_watch_a');
    await newCart('cart_watch_b');
    await watchCart(t.deps.db, 'cart_watch_a');
    const a = await updateCart(t.deps.db, 'cart_watch_a', { email: 'a@example.com' }, new Date());
    const b = await updateCart(t.deps.db, 'cart_watch_b', { email: 'b@example.com' }, new Date());
    expect(await hears(`cart_watch_a:${a?.version}`, 2000)).toBe(true);
    // Notifications arrive in commit order: once a later one is heard, b's would have been too.
    await watchCart(t.deps.db, 'cart_watch_b');
    const b2 = await updateCart(t.deps.db, 'cart_watch_b', { email: 'b2@example.com' }, new Date());
    expect(await hears(`cart_watch_b:${b2?.version}`, 2000)).toBe(true);
    expect(heard).not.toContain(`cart_watch_b:${b?.version}`);
  });

  it('are not lost when a stream starts while a change is in flight', async () => {
    await newCart('cart_watch_race');
    // The stream's mark holds the row lock (uncommitted) while a change starts: the change waits for
    // it, then sees the mark and announces itself.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const watching = t.deps.db.tx(async (tx) => {
      await watchCart(tx, 'cart_watch_race');
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const change = updateCart(t.deps.db, 'cart_watch_race', { email: 'r@example.com' }, new Date());
    await new Promise((r) => setTimeout(r, 100));
    release();
    await watching;
    const changed = await change;
    expect(await hears(`cart_watch_race:${changed?.version}`, 2000)).toBe(true);
  });

  it('are not needed for a change committed before the stream starts: its first read sees it', async () => {
    await newCart('cart_watch_before');
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const change = t.deps.db.tx(async (tx) => {
      const row = await updateCart(tx, 'cart_watch_before', { email: 'r@example.com' }, new Date());
      await held;
      return row;
    });
    await new Promise((r) => setTimeout(r, 100));
    const watching = watchCart(t.deps.db, 'cart_watch_before');
    await new Promise((r) => setTimeout(r, 100));
    release();
    const changed = await change;
    await watching;
    const { rows } = await t.deps.db.query<{ version: number; email: string }>(
      'SELECT version, email FROM carts WHERE id = $1',
      ['cart_watch_before'],
    );
    expect(rows[0]).toEqual({ version: changed?.version, email: 'r@example.com' });
  });
});
