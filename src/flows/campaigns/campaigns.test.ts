/** /admin/campaigns and /admin/audience-lists over HTTP: CRUD, validation, lifecycle, list uploads. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation, newSku, stock } from '../../../test/support/stock.ts';
import { newId } from '../../platform/ids.ts';
import { planDue } from './plan.ts';
import { bumpStats } from './stats.ts';

let t: TestApp;
let segmentId: string;
const customers: string[] = [];

const email = { subject: 'Hello {{ customer.first_name }}', text: 'Our news' };
const draft = (over: Record<string, unknown> = {}) => ({
  name: 'Spring news',
  segment_id: segmentId,
  media: ['email'],
  variants: [{ key: 'A', split: 100, content: { email } }],
  ...over,
});

interface Campaign {
  id: string;
  status: string;
  status_reason: string | null;
  name: string;
  scheduled_at: string | null;
  throttle: Record<string, number>;
}

beforeAll(async () => {
  t = await createTestApp();
  const now = t.clock.now();
  for (let i = 0; i < 5; i++) {
    const id = newId('cus');
    customers.push(id);
    await t.deps.db.query(
      `INSERT INTO customers (id, email, phone, first_name, created_at, updated_at) VALUES ($1, $2, $3, 'Ann', $4, $4)`,
      [id, `c${i}@example.com`, `+1503555010${i}`, now],
    );
  }
  // customers[4] merged into customers[0]
  await t.deps.db.query(`UPDATE customers SET status = 'merged', merged_into = $2 WHERE id = $1`, [
    customers[4],
    customers[0],
  ]);
  segmentId = newId('seg');
  await t.deps.db.query(
    `INSERT INTO segments (id, name, rules, created_at, updated_at) VALUES ($1, 'All', '{"trait":{"key":"x","op":"exists"}}', $2, $2)`,
    [segmentId, now],
  );
  await t.deps.db.query(
    `INSERT INTO segment_members (segment_id, customer_id, entered_at) SELECT $1, unnest($2::text[]), $3`,
    [segmentId, customers.slice(0, 4), now],
  );
});
afterAll(() => t.close());

describe('/admin/campaigns', () => {
  it('creates, reads, lists (newest first, by status) and patches a draft', async () => {
    const a = await t.admin<Campaign>('POST', '/campaigns', draft());
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      status: 'draft',
      kind: 'marketing',
      holdout_percent: 0,
      schedule: { mode: 'now' },
    });
    const b = await t.admin<Campaign>('POST', '/campaigns', draft({ name: 'Second' }));
    const got = await t.admin<Campaign>('GET', `/campaigns/${a.body.id}`);
    expect(got.body.name).toBe('Spring news');
    const page = await t.admin<{ data: Campaign[]; next_cursor: string | null }>('GET', '/campaigns?limit=1');
    expect(page.body.data.map((c) => c.id)).toEqual([b.body.id]);
    const next = await t.admin<{ data: Campaign[] }>(
      'GET',
      `/campaigns?limit=1&cursor=${page.body.next_cursor}`,
    );
    expect(next.body.data.map((c) => c.id)).toEqual([a.body.id]);
    const patched = await t.admin<Campaign>('PATCH', `/campaigns/${a.body.id}`, {
      name: 'Renamed',
      holdout_percent: 10,
    });
    expect(patched.body).toMatchObject({ name: 'Renamed', holdout_percent: 10 });
    const count = await t.admin<{ count: number; source: string }>(
      'GET',
      `/campaigns/${a.body.id}/audience-count`,
    );
    expect(count.body).toEqual({ count: 4, source: 'segment' });
    const none = await t.admin('GET', `/campaigns/${newId('cmp')}`);
    expect(none.status).toBe(404);
  });

  it('refuses what does not make sense, path by path', async () => {
    const bad = async (over: Record<string, unknown>) => {
      const r = await t.admin('POST', '/campaigns', draft(over));
      expect(r.status).toBe(400);
      return [...new Set(r.body.errors?.map((e) => e.path))];
    };
    expect(
      await bad({
        variants: [
          { key: 'A', split: 60, content: { email } },
          { key: 'B', split: 30, content: { email } },
        ],
      }),
    ).toEqual(['body.variants']);
    expect(await bad({ variants: [{ key: 'A', split: 100, content: { sms: { text: 'x' } } }] })).toEqual([
      'body.variants[0].content.email',
    ]);
    expect(await bad({ segment_id: null })).toEqual(['body.segment_id']);
    expect(await bad({ schedule: { mode: 'at' } })).toEqual(['body.schedule.at']);
    expect(await bad({ winner: { metric: 'open', test_percent: 20, after_minutes: 60 } })).toEqual([
      'body.winner',
    ]);
    expect(await bad({ media: ['email', 'carrier_pigeon'] })).toEqual(['body.media.1']);
    expect(await bad({ segment_id: newId('seg') })).toEqual(['body.segment_id']);
    expect(await bad({ holdout_percent: 51 })).toEqual(['body.holdout_percent']);
    // a banner for every visitor needs no audience
    const banner = await t.admin('POST', '/campaigns', {
      name: 'Hero',
      media: ['banner'],
      variants: [{ key: 'A', split: 100, content: { banner: { slot: 'home_hero', title: 'Sale' } } }],
    });
    expect(banner.status).toBe(201);
  });

  it('refuses content that does not compile with TEMPLATE_INVALID and where it is', async () => {
    const r = await t.admin(
      'POST',
      '/campaigns',
      draft({
        variants: [
          { key: 'A', split: 100, content: { email: { subject: 'Hi {{ customer.first_name', text: 'x' } } },
        ],
      }),
    );
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('TEMPLATE_INVALID');
    const errors = r.body.errors as unknown as { medium: string; field: string; variant: string }[];
    expect(errors[0]).toMatchObject({ medium: 'email', field: 'subject', variant: 'A' });
  });

  it('moves through its lifecycle and refuses transitions the machine does not have', async () => {
    const c = (await t.admin<Campaign>('POST', '/campaigns', draft())).body;
    const act = (what: string) => t.admin<Campaign>('POST', `/campaigns/${c.id}/${what}`);
    expect((await act('resume')).body.code).toBe('INVALID_STATE_TRANSITION');
    expect((await act('pause')).status).toBe(409);
    const s = await act('schedule');
    expect(s.body).toMatchObject({ status: 'scheduled', scheduled_at: t.clock.now().toISOString() });
    expect((await act('schedule')).body.code).toBe('INVALID_STATE_TRANSITION');
    // after scheduling only the name and throttle change
    expect((await t.admin('PATCH', `/campaigns/${c.id}`, { holdout_percent: 5 })).body.code).toBe('CONFLICT');
    expect(
      (await t.admin<Campaign>('PATCH', `/campaigns/${c.id}`, { throttle: { email: 100 } })).body.throttle,
    ).toEqual({
      email: 100,
    });
    expect((await act('pause')).body.status).toBe('paused');
    expect((await act('resume')).body.status).toBe('scheduled');
    expect((await act('cancel')).body.status).toBe('cancelled');
    expect((await act('cancel')).body.code).toBe('INVALID_STATE_TRANSITION');
    expect((await act('resume')).body.code).toBe('INVALID_STATE_TRANSITION');
  });

  it('answers AUDIENCE_UNAVAILABLE when the segment was archived before scheduling', async () => {
    const seg = newId('seg');
    const now = t.clock.now();
    await t.deps.db.query(
      `INSERT INTO segments (id, name, rules, created_at, updated_at) VALUES ($1, 'Gone', '{}', $2, $2)`,
      [seg, now],
    );
    const c = (await t.admin<Campaign>('POST', '/campaigns', draft({ segment_id: seg }))).body;
    await t.deps.db.query('UPDATE segments SET archived_at = $2 WHERE id = $1', [seg, now]);
    const r = await t.admin('POST', `/campaigns/${c.id}/schedule`);
    expect([r.status, r.body.code]).toEqual([409, 'AUDIENCE_UNAVAILABLE']);
  });

  it('schedules local_time for the first zone that reaches it, and refuses one that passed everywhere', async () => {
    const c = (
      await t.admin<Campaign>(
        'POST',
        '/campaigns',
        draft({ schedule: { mode: 'local_time', local_time: '09:00', date: '2026-02-01' } }),
      )
    ).body;
    const s = await t.admin<Campaign>('POST', `/campaigns/${c.id}/schedule`);
    // 09:00 at UTC+14 is 19:00 UTC the day before
    expect(s.body.scheduled_at).toBe('2026-01-31T19:00:00.000Z');
    const old = (
      await t.admin<Campaign>(
        'POST',
        '/campaigns',
        draft({ schedule: { mode: 'local_time', local_time: '09:00', date: '2026-01-01' } }),
      )
    ).body;
    const r = await t.admin('POST', `/campaigns/${old.id}/schedule`);
    expect(r.body.errors?.map((e) => e.path)).toEqual(['body.schedule.date']);
  });
});

describe('/admin/campaigns results and preview', () => {
  it('reads totals, skip reasons and variants from the rollups only', async () => {
    const c = (await t.admin<Campaign>('POST', '/campaigns', draft({ name: 'Stats' }))).body;
    await t.admin('POST', `/campaigns/${c.id}/schedule`);
    await planDue(t.deps);
    // nobody consented: every member is skipped with its reason
    const r = await t.admin<{
      totals: Record<string, number>;
      skip_reasons: Record<string, number>;
      by_variant: Record<string, Record<string, number>>;
    }>('GET', `/campaigns/${c.id}/stats`);
    expect(r.status).toBe(200);
    expect(r.body.skip_reasons).toEqual({ no_consent: 4 });
    expect(r.body.by_variant).toEqual({ A: { 'skipped:no_consent': 4 } });
    // a rollup the ledger does not have shows: the screen reads campaign_stats, not message_sends
    await bumpStats(t.deps.db, [
      { campaignId: c.id, variant: 'A', medium: 'email', metric: 'opened', by: 7 },
    ]);
    const again = await t.admin<{ totals: Record<string, number> }>('GET', `/campaigns/${c.id}/stats`);
    expect(again.body.totals).toEqual({ 'skipped:no_consent': 4, opened: 7 });
  });

  it('previews each medium of a variant for one customer', async () => {
    const c = (await t.admin<Campaign>('POST', '/campaigns', draft({ name: 'Preview' }))).body;
    const r = await t.admin<{ variant: string; media: Record<string, { subject?: string; text: string }> }>(
      'POST',
      `/campaigns/${c.id}/preview`,
      { customer_id: customers[0] },
    );
    expect(r.status).toBe(200);
    expect(r.body.variant).toBe('A');
    expect(r.body.media.email?.subject).toBe('Hello Ann');
    const none = await t.admin('POST', `/campaigns/${c.id}/preview`, {
      customer_id: customers[0],
      variant: 'Z',
    });
    expect(none.body.code).toBe('UNPROCESSABLE');
  });
});

describe('require_in_stock', () => {
  it('skips recipients whose store has none of the products (out_of_stock), keeps the others', async () => {
    const web = await t.channel('web');
    const [full, empty] = [
      await newLocation(t, { name: 'Full store' }),
      await newLocation(t, { name: 'Empty store' }),
    ];
    const sku = newSku('BOOT');
    const p = await t.admin<{ id: string }>('POST', '/products', {
      title: 'Boot',
      status: 'published',
      variants: [{ sku, title: 'One', prices: [{ channel_id: web.id, amount: 5000 }] }],
    });
    await stock(t, sku, full, 2);
    const who = async (loc: string | null) => {
      const c = await t.admin<{ id: string }>('POST', '/customers', {
        email: `${newId('x').toLowerCase()}@example.com`,
        ...(loc ? { preferred_location_id: loc } : {}),
      });
      return c.body.id;
    };
    const [atFull, atEmpty, online] = [await who(full), await who(empty), await who(null)];
    await t.deps.db.query(
      `INSERT INTO consent_records (id, customer_id, purpose, channel, status, legal_basis, source, recorded_by, recorded_at)
       SELECT 'cns_' || substr(md5(c), 1, 26), c, 'marketing', 'email', 'granted', 'consent', 'admin', 'test', $2
       FROM unnest($1::text[]) AS c`,
      [[atFull, atEmpty, online], t.clock.now()],
    );
    const l = await t.admin<{ id: string }>('POST', '/audience-lists', {
      name: 'Stock test',
      rows: [atFull, atEmpty, online].map((customer_id) => ({ customer_id })),
    });
    const c = await t.admin<Campaign>(
      'POST',
      '/campaigns',
      draft({
        segment_id: null,
        list_id: l.body.id,
        product_ids: [p.body.id],
        require_in_stock: true,
      }),
    );
    await t.admin('POST', `/campaigns/${c.body.id}/schedule`);
    await planDue(t.deps);
    const rows = await t.deps.db.query<{ customer_id: string; status: string; skip_reason: string | null }>(
      'SELECT customer_id, status, skip_reason FROM message_sends WHERE campaign_id = $1',
      [c.body.id],
    );
    const by = new Map(rows.rows.map((r) => [r.customer_id, [r.status, r.skip_reason]]));
    expect(by.get(atFull)).toEqual(['planned', null]);
    expect(by.get(atEmpty)).toEqual(['skipped', 'out_of_stock']);
    expect(by.get(online)).toEqual(['planned', null]);
  });
});

describe('/admin/audience-lists', () => {
  it('matches JSON rows by id, e-mail and phone, follows merges, refuses by line without values', async () => {
    const r = await t.admin<{ id: string; rows_total: number; rows_matched: number; refusals: unknown[] }>(
      'POST',
      '/audience-lists',
      {
        name: 'VIPs',
        rows: [
          { customer_id: customers[1] },
          { email: ' C2@Example.com ' },
          { phone: '(503) 555-0103' },
          { customer_id: customers[4] }, // merged into customers[0]
          { email: 'nobody@example.com' },
          { email: 'not an email' },
          {},
          { email: 'c1@example.com' },
        ],
      },
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ rows_total: 8, rows_matched: 4 });
    expect(r.body.refusals).toEqual([
      { line: 5, reason: 'not_found' },
      { line: 6, reason: 'invalid_email' },
      { line: 7, reason: 'no_identifier' },
      { line: 8, reason: 'duplicate' },
    ]);
    expect(JSON.stringify(r.body)).not.toContain('example.com');
    const members = await t.deps.db.query<{ customer_id: string }>(
      'SELECT customer_id FROM audience_list_members WHERE list_id = $1 ORDER BY customer_id',
      [r.body.id],
    );
    expect(members.rows.map((m) => m.customer_id)).toEqual(
      [customers[0], customers[1], customers[2], customers[3]].sort(),
    );
    const got = await t.admin<{ id: string }>('GET', `/audience-lists/${r.body.id}`);
    expect(got.body.id).toBe(r.body.id);
    const page = await t.admin<{ data: { id: string }[] }>('GET', '/audience-lists');
    expect(page.body.data.map((l) => l.id)).toContain(r.body.id);
  });

  it('reads a CSV upload (any column order, semicolons, quotes) and reports refused lines', async () => {
    const csv = [
      'Name;EMAIL;phone',
      `"Lee; Ann";c0@example.com;`,
      'Bob;;+15035550101',
      'Cat;;12',
      'Dan;nobody@x.org;',
    ].join('\r\n');
    const r = await t.call<{ id: string; rows_total: number; rows_matched: number; refusals: unknown[] }>(
      'POST',
      '/admin/audience-lists?name=From%20CSV',
      { body: csv, token: t.adminToken, headers: { 'content-type': 'text/csv' } },
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ rows_total: 4, rows_matched: 2 });
    expect(r.body.refusals).toEqual([
      { line: 4, reason: 'invalid_phone' },
      { line: 5, reason: 'not_found' },
    ]);
    const noHeader = await t.call('POST', '/admin/audience-lists?name=X', {
      body: 'a,b\n1,2',
      token: t.adminToken,
      headers: { 'content-type': 'text/csv' },
    });
    expect(noHeader.status).toBe(400);
    const noName = await t.call('POST', '/admin/audience-lists', {
      body: 'email\nc0@example.com',
      token: t.adminToken,
      headers: { 'content-type': 'text/csv' },
    });
    expect(noName.body.errors?.map((e) => e.path)).toEqual(['querystring.name']);
  });

  it('is a campaign audience: counted live', async () => {
    const l = await t.admin<{ id: string }>('POST', '/audience-lists', {
      name: 'Two',
      rows: [{ customer_id: customers[1] }, { customer_id: customers[2] }],
    });
    const c = await t.admin<Campaign>('POST', '/campaigns', draft({ segment_id: null, list_id: l.body.id }));
    const n = await t.admin<{ count: number; source: string }>(
      'GET',
      `/campaigns/${c.body.id}/audience-count`,
    );
    expect(n.body).toEqual({ count: 2, source: 'list' });
  });
});
