import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { addCampaign, addCustomers, addEndpoint, addLocation } from '../../../test/support/sends.ts';
import { suppressionHash } from '../../modules/customers/index.ts';
import { addressHash, enqueueSends, type Medium } from '../../modules/messaging/index.ts';
import { DAY, HOUR } from '../../platform/clock.ts';
import { type GateDecision, gateCheck, quietUntil } from './gate.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const check = (ids: string[], medium: Medium, marketing = true) =>
  gateCheck(t.deps.db, t.deps, { customerIds: ids, medium, marketing, now: t.clock.now() });
const reasonOf = (d: GateDecision | undefined) => (d?.ok ? 'ok' : d?.reason);

/** Marks marketing sends of a customer as sent at the given times (any medium, any source). */
const touched = async (customerId: string, sends: { medium: Medium; at: Date; marketing?: boolean }[]) => {
  for (const s of sends) {
    const campaignId = await addCampaign(t.deps.db, { at: s.at });
    const { ids } = await enqueueSends(t.deps.db, t.deps, [
      {
        sourceKind: 'campaign',
        sourceKey: campaignId,
        campaignId,
        customerId,
        medium: s.medium,
        marketing: s.marketing ?? true,
        dueAt: s.at,
      },
    ]);
    await t.deps.db.query(`UPDATE message_sends SET status = 'sent', sent_at = $2 WHERE id = $1`, [
      ids[0],
      s.at,
    ]);
  }
};

describe('gateCheck', () => {
  it('gives one reason per refused customer, in one call', async () => {
    const db = t.deps.db;
    const now = t.clock.now();
    const [ok, erased, restricted, none, suppressed, bounced, noPhone] = await addCustomers(
      db,
      [
        { consent: ['email', 'sms'], phone: '+15035550100' },
        { consent: ['email'], status: 'erased' },
        { consent: ['email'], restricted: true },
        { consent: [] },
        { consent: ['email'], email: 'gone@example.com' },
        { consent: ['email'], email: 'dead@example.com' },
        { consent: ['sms'], phone: null },
      ],
      now,
    );
    await db.query('INSERT INTO privacy_suppressions (hash, kind, created_at) VALUES ($1, $2, $3)', [
      suppressionHash(t.deps, 'email', 'gone@example.com'),
      'email',
      now,
    ]);
    await db.query(
      `INSERT INTO message_suppressions (hash, medium, reason, created_at) VALUES ($1, 'email', 'hard_bounce', $2)`,
      [addressHash(t.deps, 'email', 'dead@example.com'), now],
    );
    const all = [ok, erased, restricted, none, suppressed, bounced] as string[];
    const email = await check(all, 'email');
    expect(all.map((id) => reasonOf(email.get(id)))).toEqual([
      'ok',
      'erased',
      'restricted',
      'no_consent',
      'suppressed',
      'bounced_before',
    ]);
    expect(email.get(ok as string)).toMatchObject({ ok: true, timezone: 'UTC', capLeft: 1 });
    const sms = await check([ok as string, noPhone as string], 'sms');
    expect(sms.get(ok as string)).toMatchObject({ ok: true, address: '+15035550100' });
    expect(reasonOf(sms.get(noPhone as string))).toBe('no_address');
    // transactional: no marketing consent needed, never to the erased, still not to a dead address
    const txn = await check(all, 'email', false);
    expect(all.map((id) => reasonOf(txn.get(id)))).toEqual([
      'ok',
      'erased',
      'ok',
      'ok',
      'suppressed',
      'bounced_before',
    ]);
    // an unknown id is never sent anything
    expect(
      reasonOf(
        (await check(['cus_01J00000000000000000000000'], 'email')).get('cus_01J00000000000000000000000'),
      ),
    ).toBe('erased');
  });

  it('finds the address of each medium: push and web push devices, none needed for shown media', async () => {
    const db = t.deps.db;
    const [a, b] = (await addCustomers(db, [
      { consent: ['push', 'in_app', 'mail', 'in_store'] },
      { consent: ['push'] },
    ])) as [string, string];
    const web = await addEndpoint(db, a, 'web_push');
    await addEndpoint(db, a, 'fcm');
    const wp = await check([a, b], 'web_push');
    expect(wp.get(a)).toMatchObject({ ok: true, address: web });
    expect(reasonOf(wp.get(b))).toBe('no_address');
    const push = await check([a], 'push');
    expect(push.get(a)).toMatchObject({ ok: true });
    expect((push.get(a) as { address: string }).address).toMatch(/^tok-mep_/);
    for (const m of ['banner', 'print', 'pos'] as const)
      expect((await check([a], m)).get(a)).toMatchObject({ ok: true, address: null });
    expect(reasonOf((await check([a], 'ads')).get(a))).toBe('no_consent');
  });

  it('applies one frequency cap across campaigns and media, marketing only', async () => {
    const db = t.deps.db;
    const now = t.clock.now();
    const [daily, weekly, fresh] = (await addCustomers(db, [
      { consent: ['email'] },
      { consent: ['email'] },
      { consent: ['email'] },
    ])) as [string, string, string];
    await touched(daily, [{ medium: 'sms', at: new Date(now.getTime() - 2 * HOUR) }]);
    await touched(weekly, [
      { medium: 'print', at: new Date(now.getTime() - 6 * DAY) },
      { medium: 'pos', at: new Date(now.getTime() - 3 * DAY) },
      { medium: 'email', at: new Date(now.getTime() - 2 * DAY) },
    ]);
    // transactional touches do not count
    await touched(fresh, [{ medium: 'email', at: new Date(now.getTime() - HOUR), marketing: false }]);
    const d = await check([daily, weekly, fresh], 'email');
    expect([reasonOf(d.get(daily)), reasonOf(d.get(weekly)), reasonOf(d.get(fresh))]).toEqual([
      'capped',
      'capped',
      'ok',
    ]);
    expect(reasonOf((await check([daily], 'email', false)).get(daily))).toBe('ok');
    // a day later the daily budget is back; the oldest of the week's three has left the window
    t.clock.advance(DAY + HOUR);
    try {
      const later = await check([daily, weekly], 'email');
      expect(later.get(daily)).toMatchObject({ ok: true, capLeft: 1 });
      expect(later.get(weekly)).toMatchObject({ ok: true, capLeft: 1 });
    } finally {
      t.clock.advance(-(DAY + HOUR));
    }
    // the settings move the budget
    await t.admin('PUT', '/messaging/settings', {
      cap: { per_day: 2, per_week: 5 },
      quiet_hours: { start: '21:00', end: '08:00' },
      default_timezone: 'UTC',
    });
    try {
      expect((await check([daily], 'email')).get(daily)).toMatchObject({ ok: true, capLeft: 1 });
    } finally {
      await t.admin('PUT', '/messaging/settings', {
        cap: { per_day: 1, per_week: 3 },
        quiet_hours: { start: '21:00', end: '08:00' },
        default_timezone: 'UTC',
      });
    }
  });

  it("delays for quiet hours in the customer's timezone: trait, then preferred store, then default", async () => {
    const db = t.deps.db;
    const ny = await addLocation(db, 'America/New_York');
    const [tokyo, store, bogus, plain] = (await addCustomers(db, [
      { consent: ['email'], timezone: 'Asia/Tokyo', locationId: ny },
      { consent: ['email'], locationId: ny },
      { consent: ['email'], timezone: 'Mars/Olympus_Mons', locationId: ny },
      { consent: ['email'] },
    ])) as [string, string, string, string];
    const saved = t.clock.now();
    try {
      // 13:00 UTC: 22:00 in Tokyo (quiet until 08:00 = 23:00 UTC), 08:00 in New York (not quiet)
      t.clock.set('2026-01-15T13:00:00Z');
      const d = await check([tokyo, store, bogus, plain], 'email');
      expect(d.get(tokyo)).toMatchObject({
        ok: true,
        timezone: 'Asia/Tokyo',
        delayUntil: new Date('2026-01-15T23:00:00Z'),
      });
      expect(d.get(store)).toMatchObject({ ok: true, timezone: 'America/New_York' });
      expect((d.get(store) as { delayUntil?: Date }).delayUntil).toBeUndefined();
      expect(d.get(bogus)).toMatchObject({ timezone: 'America/New_York' });
      // 03:00 UTC: 22:00 in New York, quiet until 08:00 EST = 13:00 UTC; UTC itself is quiet until 08:00
      t.clock.set('2026-01-15T03:00:00Z');
      const n = await check([store, plain], 'email');
      expect(n.get(store)).toMatchObject({ delayUntil: new Date('2026-01-15T13:00:00Z') });
      expect(n.get(plain)).toMatchObject({ timezone: 'UTC', delayUntil: new Date('2026-01-15T08:00:00Z') });
      // transactional messages are not held back
      expect((await check([plain], 'email', false)).get(plain)).not.toHaveProperty('delayUntil');
    } finally {
      t.clock.set(saved);
    }
    // across a DST change: 01:30 local on the day New York springs forward waits until 08:00 EDT
    expect(
      quietUntil({ start: '21:00', end: '08:00' }, 'America/New_York', new Date('2026-03-08T06:30:00Z')),
    ).toEqual(new Date('2026-03-08T12:00:00Z'));
    expect(
      quietUntil({ start: '12:00', end: '13:00' }, 'UTC', new Date('2026-03-08T11:59:00Z')),
    ).toBeUndefined();
  });

  it('validates and keeps the messaging settings', async () => {
    const bad = await t.admin('PUT', '/messaging/settings', {
      cap: { per_day: 1, per_week: 3 },
      quiet_hours: { start: '21:00', end: '08:00' },
      default_timezone: 'Europe/Atlantis',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const badTime = await t.admin('PUT', '/messaging/settings', {
      cap: { per_day: 1, per_week: 3 },
      quiet_hours: { start: '25:00', end: '08:00' },
      default_timezone: 'UTC',
    });
    expect(badTime.status).toBe(400);
    const body = {
      cap: { per_day: 2, per_week: 4 },
      quiet_hours: { start: '22:30', end: '07:00' },
      default_timezone: 'Europe/Paris',
    };
    expect((await t.admin('PUT', '/messaging/settings', body)).status).toBe(200);
    expect((await t.admin('GET', '/messaging/settings')).body).toEqual(body);
    await t.admin('PUT', '/messaging/settings', {
      cap: { per_day: 1, per_week: 3 },
      quiet_hours: { start: '21:00', end: '08:00' },
      default_timezone: 'UTC',
    });
  });

  it('decides for thousands of customers in well under a millisecond each', async () => {
    const n = 3000;
    const ids = await addCustomers(
      t.deps.db,
      Array.from({ length: n }, (_, i) => ({
        consent: i % 3 ? ['email'] : [],
        timezone: i % 2 ? 'Europe/Paris' : undefined,
      })),
    );
    const start = performance.now();
    const d = await check(ids, 'email');
    const ms = performance.now() - start;
    expect(d.size).toBe(n);
    expect([...d.values()].filter((x) => x.ok).length).toBe(2000);
    // the budget is 1 ms per recipient on PostgreSQL; embedded PGlite on a shared machine gets 3
    expect(ms / n).toBeLessThan(t.testDb.backend === 'postgres' ? 1 : 3);
  });
});
