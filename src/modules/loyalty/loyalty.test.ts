import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation } from '../../../test/support/stock.ts';
import {
  checkCharacter,
  customerByCard,
  DEFAULT_PROGRAM,
  expirePoints,
  isValidCardNumber,
  ledgerMismatches,
  newCardNumber,
  pointsFor,
  postPoints,
} from './index.ts';

let t: TestApp;
let web: { id: string; key: string };
let store: string;
beforeAll(async () => {
  t = await createTestApp();
  web = await t.channel('web');
  store = await newLocation(t);
});
afterAll(() => t.close());

interface Account {
  enrolled: boolean;
  card_number: string | null;
  balance: number;
  tier: { name: string; spend_12m: number };
  history: { data: { kind: string; points: number; reference: string | null }[] };
}

let n = 0;
const member = async (points = 0) => {
  const r = await t.admin<{ id: string }>('POST', '/customers', {
    email: `loyal${++n}@example.com`,
    source: 'pos',
  });
  const id = r.body.id;
  const e = await t.admin<Account>('POST', `/customers/${id}/loyalty/enroll`);
  expect(e.status).toBe(200);
  if (points) {
    const adj = await t.admin('POST', `/customers/${id}/loyalty/adjustments`, { points, note: 'welcome' });
    expect(adj.status).toBe(201);
  }
  return { id, card: e.body.card_number as string };
};
const account = (id: string) => t.admin<Account>('GET', `/customers/${id}/loyalty`);
const redeem = (customerId: string, points: number, reference: string, token?: string) =>
  t.admin<{ amount: number; balance: number }>(
    'POST',
    '/loyalty/redemptions',
    { customer_id: customerId, points, reference },
    token,
  );

describe('loyalty cards', () => {
  it('issues card numbers with a check character that catches every typo and every swap', () => {
    for (let i = 0; i < 200; i++) {
      const c = newCardNumber();
      expect(c).toMatch(/^[2-9A-HJ-NP-Z]{12}$/);
      expect(isValidCardNumber(c)).toBe(true);
      const chars = c.split('');
      // every single substitution is caught
      const pos = i % 12;
      const other = chars[pos] === 'A' ? 'B' : 'A';
      expect(isValidCardNumber([...chars.slice(0, pos), other, ...chars.slice(pos + 1)].join(''))).toBe(
        false,
      );
      // every swap of two different characters is caught
      for (let j = 0; j < 12; j++) {
        const k = (j + 1 + (i % 11)) % 12;
        if (chars[j] === chars[k]) continue;
        const swapped = [...chars];
        [swapped[j], swapped[k]] = [chars[k] as string, chars[j] as string];
        expect(isValidCardNumber(swapped.join('')), `${c} swap ${j},${k}`).toBe(false);
      }
      // and every substitution at every position
      for (let p = 0; p < 12; p++) {
        for (const ch of 'A2Z') {
          if (chars[p] === ch) continue;
          expect(isValidCardNumber([...chars.slice(0, p), ch, ...chars.slice(p + 1)].join(''))).toBe(false);
        }
      }
    }
    expect(checkCharacter('K7QM4XRT9CH')).toHaveLength(1);
  });

  it('finds the customer by card number at a POS, with spaces or dashes, with a staff token', async () => {
    const m = await member();
    expect(m.card).toMatch(/^[2-9A-Z]{4} [2-9A-Z]{4} [2-9A-Z]{4}$/);
    const staff = await t.staff([store]);
    for (const q of [m.card, m.card.replaceAll(' ', ''), m.card.replaceAll(' ', '-').toLowerCase()]) {
      const r = await t.admin<{ data: { id: string; matched: { kind: string } }[] }>(
        'GET',
        `/customers?identity=${encodeURIComponent(q)}`,
        undefined,
        staff,
      );
      expect(r.body.data[0]?.id, q).toBe(m.id);
      expect(r.body.data[0]?.matched.kind).toBe('loyalty_card');
    }
    const again = await t.admin<Account>('POST', `/customers/${m.id}/loyalty/enroll`);
    expect(again.body.card_number).toBe(m.card);
    expect(await customerByCard(t.deps.db, m.card.toLowerCase())).toEqual({ customerId: m.id });
    const typo = m.card.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect(await customerByCard(t.deps.db, typo)).toEqual({ customerId: null, reason: 'mistyped' });
    const stranger = newCardNumber();
    expect(await customerByCard(t.deps.db, stranger)).toEqual({ customerId: null, reason: 'unknown' });
    // Staff redeem at their own store only, and look customers up only by identity.
    const elsewhere = await newLocation(t);
    const r = await redeem(m.id, 1, `other-store-${m.id}`, staff);
    expect(r.status).toBe(409); // no points, but allowed
    const foreign = await t.admin(
      'POST',
      '/loyalty/redemptions',
      { customer_id: m.id, points: 1, reference: `x-${m.id}`, location_id: elsewhere },
      staff,
    );
    expect(foreign.status).toBe(403);
    expect((await t.admin('GET', '/customers', undefined, staff)).status).toBe(403);
  });
});

describe('points', () => {
  it('computes points exactly with the rate, tier multiplier and rounding', () => {
    expect(pointsFor(DEFAULT_PROGRAM, 12_345, 'USD', 10_000)).toBe(123);
    expect(pointsFor(DEFAULT_PROGRAM, 12_345, 'USD', 15_000)).toBe(185);
    expect(pointsFor({ ...DEFAULT_PROGRAM, rounding: 'ceil' }, 12_301, 'USD', 10_000)).toBe(124);
    expect(pointsFor({ ...DEFAULT_PROGRAM, rounding: 'round' }, 12_350, 'USD', 10_000)).toBe(124);
    expect(pointsFor({ ...DEFAULT_PROGRAM, points_per_unit: 1 }, 1_500, 'JPY', 10_000)).toBe(1500);
    expect(pointsFor(DEFAULT_PROGRAM, 9_007_199_254, 'USD', 100_000)).toBe(900_719_925);
  });

  it('redeems and releases idempotently by reference', async () => {
    const m = await member(500);
    const r1 = await redeem(m.id, 200, 'pos-receipt-1');
    expect(r1.status).toBe(201);
    expect(r1.body).toMatchObject({ amount: 200, balance: 300 });
    const replay = await redeem(m.id, 200, 'pos-receipt-1');
    expect(replay.status).toBe(201);
    expect((await account(m.id)).body.balance).toBe(300);
    const clash = await redeem(m.id, 50, 'pos-receipt-1');
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('CONFLICT');
    const tooMuch = await redeem(m.id, 301, 'pos-receipt-2');
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({ code: 'INSUFFICIENT_POINTS', balance: 300 });
    const rel = await t.admin<{ points: number }>('POST', '/loyalty/redemptions/release', {
      reference: 'pos-receipt-1',
    });
    expect(rel.body.points).toBe(200);
    const rel2 = await t.admin<{ points: number }>('POST', '/loyalty/redemptions/release', {
      reference: 'pos-receipt-1',
    });
    expect(rel2.body.points).toBe(0);
    const acct = await account(m.id);
    expect(acct.body.balance).toBe(500);
    expect(acct.body.history.data.map((e) => [e.kind, e.points])).toEqual([
      ['release', 200],
      ['redeem', -200],
      ['adjust', 500],
    ]);
    const under = await t.admin('POST', `/customers/${m.id}/loyalty/adjustments`, {
      points: -501,
      note: 'oops',
    });
    expect(under.body.code).toBe('INSUFFICIENT_POINTS');
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);
  });

  it('never goes below zero under concurrent redemptions', async () => {
    const m = await member(100);
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => redeem(m.id, 30, `concurrent-${m.id}-${i}`)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(21);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'INSUFFICIENT_POINTS')).toBe(
      true,
    );
    expect((await account(m.id)).body.balance).toBe(10);
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);
  });

  it('expires points by policy: a fixed life (oldest spent first), or after inactivity', async () => {
    await t.admin('PUT', '/loyalty/program', { ...DEFAULT_PROGRAM, expiry: { policy: 'fixed', days: 30 } });
    const m = await member();
    const credit = (points: number) =>
      t.deps.db.tx((tx) =>
        postPoints(tx, t.deps, {
          customerId: m.id,
          kind: 'earn',
          points,
          spend: points * 100,
          at: t.clock.now(),
        }),
      );
    await credit(100);
    t.clock.advance(20 * 86_400_000);
    await credit(50);
    await redeem(m.id, 30, `exp-${m.id}`);
    t.clock.advance(11 * 86_400_000); // the first 100 are 31 days old: 70 of them are unspent
    expect(await expirePoints(t.deps)).toBeGreaterThanOrEqual(1);
    expect((await account(m.id)).body.balance).toBe(50);
    expect(await expirePoints(t.deps)).toBe(0); // nothing more is due: idempotent
    t.clock.advance(20 * 86_400_000);
    await expirePoints(t.deps);
    expect((await account(m.id)).body.balance).toBe(0);

    await t.admin('PUT', '/loyalty/program', {
      ...DEFAULT_PROGRAM,
      expiry: { policy: 'inactivity', days: 90 },
    });
    const idle = await member();
    await t.deps.db.tx((tx) =>
      postPoints(tx, t.deps, {
        customerId: idle.id,
        kind: 'earn',
        points: 40,
        spend: 4000,
        at: t.clock.now(),
      }),
    );
    t.clock.advance(89 * 86_400_000);
    await expirePoints(t.deps);
    expect((await account(idle.id)).body.balance).toBe(40);
    t.clock.advance(2 * 86_400_000);
    await expirePoints(t.deps);
    expect((await account(idle.id)).body.balance).toBe(0);
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);
    await t.admin('PUT', '/loyalty/program', DEFAULT_PROGRAM);
  });

  it('refuses programs whose tiers do not rise, and lets customers join and read their card', async () => {
    const bad = await t.admin('PUT', '/loyalty/program', {
      ...DEFAULT_PROGRAM,
      tiers: [
        { name: 'A', min_spend: 0, multiplier_bps: 10_000 },
        { name: 'B', min_spend: 0, multiplier_bps: 12_000 },
      ],
    });
    expect(bad.status).toBe(400);
    const email = `self${++n}@example.com`;
    await t.call('POST', '/store/customers', { key: web.key, body: { email, password: 'long password 1' } });
    const s = await t.call<{ token: string }>('POST', '/store/auth/token', {
      key: web.key,
      body: { email, password: 'long password 1' },
    });
    const before = await t.call<Account>('GET', '/store/customers/me/loyalty', {
      key: web.key,
      token: s.body.token,
    });
    expect(before.body).toMatchObject({ enrolled: false, balance: 0, tier: { name: 'Member' } });
    const join = await t.call<Account>('POST', '/store/customers/me/loyalty', {
      key: web.key,
      token: s.body.token,
    });
    expect(join.body.enrolled).toBe(true);
    expect(isValidCardNumber((join.body.card_number as string).replaceAll(' ', ''))).toBe(true);
  });
});
