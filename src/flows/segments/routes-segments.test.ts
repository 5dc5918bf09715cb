/** /admin/segments over HTTP: CRUD, preview, members and their CSV, and refusals of bad trees. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const now = t.clock.now();
  const customers: [string, string | null, string | null, string | null][] = [
    ['cus_01', 'ann@example.com', 'Ann', 'Lee'],
    ['cus_02', 'bob@example.com', '=HYPERLINK("http://x")', null],
    ['cus_03', 'cat@example.com', 'Cat', null],
    ['cus_04', null, null, null],
  ];
  for (const [id, email, first, last] of customers)
    await t.deps.db.query(
      `INSERT INTO customers (id, email, first_name, last_name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
      [id, email, first, last, now],
    );
  await t.deps.db.query(`UPDATE customers SET processing_restricted_at = $1 WHERE id = 'cus_03'`, [now]);
  await t.deps.db.query(
    `INSERT INTO customer_traits (customer_id, key, value, observed_at, updated_at)
     VALUES ('cus_01', 'age', '30', $1, $1), ('cus_02', 'age', '"30"', $1, $1), ('cus_04', 'vip', 'true', $1, $1)`,
    [now],
  );
  for (const [id, plan] of [
    ['cus_01', 'gold'],
    ['cus_02', 'gold'],
    ['cus_03', 'gold'],
    ['cus_04', 'free'],
  ])
    await t.deps.db.query(
      `INSERT INTO customer_traits (customer_id, key, value, observed_at, updated_at) VALUES ($1, 'plan', $2::jsonb, $3, $3)`,
      [id, JSON.stringify(plan), now],
    );
});
afterAll(() => t.close());

const gold = { trait: { key: 'plan', op: 'eq', value: 'gold' } };

interface Seg {
  id: string;
  name: string;
  size: number;
  rules: unknown;
  archived_at: string | null;
}

describe('/admin/segments', () => {
  it('previews a tree: count and a sample with names, restricted customers left out', async () => {
    const r = await t.admin<{
      count: number;
      sample: { id: string; name: string | null; email: string | null }[];
    }>('POST', '/segments/preview', { rules: gold });
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(2);
    expect(r.body.sample).toEqual([
      { id: 'cus_02', name: '=HYPERLINK("http://x")', email: 'bob@example.com' },
      { id: 'cus_01', name: 'Ann Lee', email: 'ann@example.com' },
    ]);
    const none = await t.admin<{ count: number; sample: unknown[] }>('POST', '/segments/preview', {
      rules: { trait: { key: "'; DROP TABLE customers; --", op: 'eq', value: "' OR 1=1 --" } },
    });
    expect(none.body).toEqual({ count: 0, sample: [] });
  });

  it('keeps the types of rule values: no coercion of 30, true or a list of one', async () => {
    const count = async (trait: Record<string, unknown>) =>
      (await t.admin<{ count: number }>('POST', '/segments/preview', { rules: { trait } })).body.count;
    expect(await count({ key: 'age', op: 'eq', value: 30 })).toBe(1);
    expect(await count({ key: 'age', op: 'eq', value: '30' })).toBe(1);
    expect(await count({ key: 'vip', op: 'eq', value: true })).toBe(1);
    expect(await count({ key: 'plan', op: 'in', value: ['free'] })).toBe(1);
    const saved = await t.admin<Seg>('POST', '/segments', {
      name: 'Thirty',
      rules: { trait: { key: 'age', op: 'eq', value: 30 } },
    });
    expect(saved.body.rules).toEqual({ trait: { key: 'age', op: 'eq', value: 30 } });
    expect(saved.body.size).toBe(1);
  });

  it('refuses trees that are not the language, with a path', async () => {
    let deep: unknown = gold;
    for (let i = 0; i < 7; i++) deep = { not: deep };
    const tooDeep = await t.admin('POST', '/segments/preview', { rules: deep });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.code).toBe('VALIDATION_FAILED');
    expect(tooDeep.body.errors?.[0]?.message).toMatch(/6 levels/);
    const badOp = await t.admin('POST', '/segments', {
      name: 'x',
      rules: { trait: { key: 'plan', op: 'in', value: 'gold' } },
    });
    expect(badOp.status).toBe(400);
    expect(badOp.body.errors).toEqual([{ path: 'body.rules.trait', message: '`in` needs a list of values' }]);
    for (const rules of [{ sql: 'SELECT 1' }, { all: [] }, { trait: gold.trait, event: { name: 'x' } }, 'x'])
      expect((await t.admin('POST', '/segments/preview', { rules })).status).toBe(400);
    expect(
      (await t.admin('POST', '/segments/preview', { rules: { event: { name: 'x', within: { days: 1e9 } } } }))
        .status,
    ).toBe(400);
  });

  it('creates (evaluated at once), lists, gets, updates and archives a segment', async () => {
    const created = await t.admin<Seg>('POST', '/segments', {
      name: 'Gold',
      rules: gold,
      refresh_minutes: 30,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Gold', size: 2, rules: gold, archived_at: null });
    const id = created.body.id;
    expect((await t.admin('POST', '/segments', { name: 'gold', rules: gold })).body.code).toBe(
      'ALREADY_EXISTS',
    );
    const list = await t.admin<{ data: Seg[] }>('GET', '/segments');
    expect(list.body.data.map((s) => s.id)).toContain(id);
    expect((await t.admin<Seg>('GET', `/segments/${id}`)).body.name).toBe('Gold');

    const members = await t.admin<{
      data: { customer_id: string; name: string | null }[];
      next_cursor: string | null;
    }>('GET', `/segments/${id}/members?limit=1`);
    expect(members.body.data).toEqual([expect.objectContaining({ customer_id: 'cus_01', name: 'Ann Lee' })]);
    const next = await t.admin<{ data: { customer_id: string }[] }>(
      'GET',
      `/segments/${id}/members?limit=1&cursor=${members.body.next_cursor}`,
    );
    expect(next.body.data.map((m) => m.customer_id)).toEqual(['cus_02']);

    const csv = await t.admin('GET', `/segments/${id}/members.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('customer_id,email,phone,first_name,last_name,entered_at');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://x"")"`);

    const changed = await t.admin<Seg>('PATCH', `/segments/${id}`, {
      rules: { trait: { key: 'plan', op: 'eq', value: 'free' } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.size).toBe(1);
    expect((await t.admin<Seg>('PATCH', `/segments/${id}`, { description: 'Free plan' })).body.size).toBe(1);

    const archived = await t.admin<Seg>('POST', `/segments/${id}/archive`);
    expect(archived.body.archived_at).not.toBeNull();
    expect((await t.admin('PATCH', `/segments/${id}`, { name: 'Again' })).body.code).toBe('CONFLICT');
    const archivedList = await t.admin<{ data: Seg[] }>('GET', '/segments?archived=true');
    expect(archivedList.body.data.map((s) => s.id)).toEqual([id]);
    expect((await t.admin('GET', '/segments/seg_01JAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });
});
