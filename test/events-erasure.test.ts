/**
 * Erasure and the customer-data tables: a customer with tracked events (anonymous, then identified),
 * traits, a computed trait value, a segment membership and Plaza fact events is erased through the
 * privacy API; a dump of the whole database (pg_dump on PostgreSQL, every row as text on PGlite)
 * holds none of their values, another customer is untouched, and an identify with the erased
 * e-mail creates nobody.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processIdentityQueue, recordFact } from '../src/flows/customer-data/index.ts';
import { type EventInput, insertEvents } from '../src/modules/events/store.ts';
import { newId } from '../src/platform/ids.ts';
import { createTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
const tag = Math.random().toString(36).slice(2, 8);
const web = `src_web_${tag}`;
const server = `src_srv_${tag}`;
const E = {
  email: `vesna.${tag}@example.com`,
  first: `Vesnaquill${tag}`,
  device: `vesna-device-${tag}-c41d`,
  external: `crm-vesna-${tag}`,
  street: `12 Forgotten Mews ${tag}`,
  ua: `VesnaBrowser/${tag}`,
  ip: '198.51.100.43',
  search: `vesna searched ${tag}`,
  computed: `vesna-favourite-${tag}`,
};

beforeAll(async () => {
  t = await createTestApp();
  await t.deps.db.query(
    `INSERT INTO event_sources (id, name, kind, created_at, updated_at)
     VALUES ($1, $1, 'web', $3, $3), ($2, $2, 'server', $3, $3)`,
    [web, server, t.clock.now()],
  );
});
afterAll(() => t.close());

let n = 0;
const ev = (e: Partial<EventInput> & Pick<EventInput, 'type'>): EventInput => ({
  sourceId: web,
  channelId: null,
  origin: 'client',
  messageId: `${tag}-${++n}`,
  timestamp: t.clock.now(),
  receivedAt: t.clock.now(),
  retentionMonths: 0,
  ...e,
});
const ingest = async (...rows: EventInput[]) => {
  await insertEvents(t.deps.db, rows);
  await processIdentityQueue(t.deps);
};

const dumpDatabase = async (): Promise<string> => {
  if (t.testDb.url) {
    return execFileSync('pg_dump', ['--data-only', '--no-owner', '--dbname', t.testDb.url], {
      maxBuffer: 512 * 1024 * 1024,
    }).toString();
  }
  const tables = await t.deps.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const out: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await t.deps.db.query<{ r: string }>(`SELECT x::text AS r FROM "${table_name}" x`);
    out.push(`-- ${table_name}`, ...rows.rows.map((r) => r.r));
  }
  return out.join('\n');
};

const snapshot = async (customerId: string) =>
  (
    await t.deps.db.query<{ s: string }>(
      `SELECT json_build_array(
         (SELECT json_agg(e ORDER BY id) FROM events e WHERE customer_id = $1),
         (SELECT json_agg(k ORDER BY key) FROM customer_traits k WHERE customer_id = $1),
         (SELECT json_agg(i ORDER BY id) FROM customer_identities i WHERE customer_id = $1))::text AS s`,
      [customerId],
    )
  ).rows[0]?.s;

/** A customer with tracked events, traits and a Plaza fact; returns their id. */
const person = async (p: typeof E): Promise<string> => {
  const id = (await t.admin<{ id: string }>('POST', '/customers', { email: p.email, first_name: p.first }))
    .body.id;
  const context = { ip: p.ip, userAgent: p.ua, page: { search: `?q=${p.search}` } };
  await ingest(
    ev({ type: 'page', event: 'Search', anonymousId: p.device, context, properties: { query: p.search } }),
  );
  await ingest(
    ev({
      type: 'identify',
      userId: id,
      anonymousId: p.device,
      traits: { street: p.street, firstName: p.first },
    }),
  );
  await ingest(ev({ type: 'identify', sourceId: server, userId: p.external, traits: { email: p.email } }));
  await ingest(ev({ type: 'track', event: 'Product Viewed', userId: p.external, context }));
  await t.deps.db.tx((tx) =>
    recordFact(tx, t.deps, {
      id: newId('evt'),
      seq: 0,
      type: 'loyalty.points_earned',
      aggregateType: 'customer',
      aggregateId: id,
      data: { customer_id: id, points: 120, balance: 120, order_id: null },
      occurredAt: t.clock.now(),
    }),
  );
  return id;
};

describe('erasure of customer data', () => {
  it('leaves none of their events, traits, computed traits or memberships, and touches no one else', async () => {
    const other = await person({
      ...E,
      email: `olek.${tag}@example.com`,
      first: `Olek${tag}`,
      device: `olek-device-${tag}-9e2a`,
      external: `crm-olek-${tag}`,
      street: `3 Kept Road ${tag}`,
      ua: `OlekBrowser/${tag}`,
      search: `olek searched ${tag}`,
      ip: '192.0.2.99',
    });
    const id = await person(E);
    const events = await t.deps.db.query<{ origin: string }>(
      'SELECT origin FROM events WHERE customer_id = $1',
      [id],
    );
    expect(events.rows.map((r) => r.origin).sort()).toEqual([
      'client',
      'client',
      'client',
      'client',
      'plaza',
    ]);
    const identities = await t.deps.db.query<{ kind: string }>(
      `SELECT kind FROM customer_identities WHERE customer_id = $1 AND unlinked_at IS NULL ORDER BY kind`,
      [id],
    );
    expect(identities.rows.map((r) => r.kind)).toEqual(['anonymous', 'email', 'external']);
    // E's computed trait and segment rows are written directly (their jobs are tested elsewhere).
    const now = t.clock.now();
    const [trait, segment] = [newId('ctr'), newId('seg')];
    await t.deps.db.query(
      `INSERT INTO computed_traits (id, key, name, definition, created_at, updated_at)
       VALUES ($1, $2, 'Favourite', '{}', $3, $3)`,
      [trait, `fav_${tag}`, now],
    );
    await t.deps.db.query(
      `INSERT INTO customer_computed_traits (trait_id, customer_id, value, computed_at) VALUES ($1, $2, $3, $4)`,
      [trait, id, JSON.stringify(E.computed), now],
    );
    await t.deps.db.query(
      `INSERT INTO segments (id, name, rules, created_at, updated_at) VALUES ($1, $2, '{"all":[]}', $3, $3)`,
      [segment, `Seg ${tag}`, now],
    );
    await t.deps.db.query('INSERT INTO segment_members VALUES ($1, $2, $3)', [segment, id, now]);
    await t.deps.db.query(
      'INSERT INTO segment_membership_history (segment_id, customer_id, entered_at) VALUES ($1, $2, $3)',
      [segment, id, now],
    );
    const traits = await t.admin<{ traits: { key: string }[]; computed: { value: unknown }[] }>(
      'GET',
      `/customers/${id}/traits`,
    );
    expect(traits.body.traits.map((x) => x.key)).toEqual(['email', 'firstName', 'street']);
    expect(traits.body.computed.map((x) => x.value)).toEqual([E.computed]);

    const otherBefore = await snapshot(other);
    const request = await t.admin<{ id: string }>('POST', '/privacy/requests', {
      customer_id: id,
      kind: 'erase',
    });
    expect(request.status).toBe(201);
    const done = await t.admin<{ status: string }>('POST', `/privacy/requests/${request.body.id}/process`, {
      balances: 'forfeit',
    });
    expect(done.body.status).toBe('completed');

    const dump = (await dumpDatabase()).toLowerCase();
    const left = Object.entries(E).filter(([, v]) => dump.includes(v.toLowerCase()));
    expect(left.map(([k]) => k)).toEqual([]);
    for (const table of [
      'segment_members',
      'segment_membership_history',
      'customer_computed_traits',
      'customer_traits',
    ]) {
      const rows = await t.deps.db.query(`SELECT 1 FROM ${table} WHERE customer_id = $1`, [id]);
      expect(rows.rows, table).toHaveLength(0);
    }
    expect(await snapshot(other)).toBe(otherBefore);

    // The erased e-mail, sent again as a trait by a server source, creates and links nobody.
    const before = (await t.deps.db.query('SELECT count(*)::int AS c FROM customers')).rows[0];
    await ingest(
      ev({ type: 'identify', sourceId: server, userId: `crm-new-${tag}`, traits: { email: E.email } }),
    );
    await ingest(
      ev({ type: 'identify', sourceId: server, anonymousId: `dev2-${tag}-77aa`, traits: { email: E.email } }),
    );
    expect((await t.deps.db.query('SELECT count(*)::int AS c FROM customers')).rows[0]).toEqual(before);
    const linked = await t.deps.db.query(`SELECT 1 FROM customer_identities WHERE value = $1`, [
      `crm-new-${tag}`,
    ]);
    expect(linked.rows).toHaveLength(0);
    expect((await t.deps.db.query('SELECT 1 FROM event_identity_queue')).rows).toHaveLength(0);
    // … and the stored identify messages no longer hold it.
    const kept = await t.deps.db.query('SELECT 1 FROM events WHERE position($1 in lower(traits::text)) > 0', [
      E.email,
    ]);
    expect(kept.rows).toHaveLength(0);
  });
});
