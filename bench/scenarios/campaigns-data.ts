/**
 * The campaigns benchmark's data set, generated in SQL (generate_series, INSERT … SELECT) into a copy
 * of the migrated template database: N customers (default 1,000,000) with
 *   - e-mail for all but 0.5 % (i % 200 = 13: no_address), a phone for 30 % (i % 10 < 3),
 *   - 0.1 % erased (i % 1000 = 7: not in the audience at all) and 0.1 % restricted (i % 1000 = 3),
 *   - a preferred store for 20 % (i % 10 in 3, 4: Los Angeles, New York), a `timezone` trait for
 *     20 % (i % 10 in 5, 6: Berlin, Tokyo) and an invalid one for 1 % (i % 100 = 99: the fallback),
 *   - marketing consent: e-mail granted for 70 % (i % 10 < 7), then withdrawn again for 2 % (i % 50 = 1);
 *     SMS granted for i % 10 in 0, 1 (with a phone) and 5 (without one: no_address),
 *   - prior marketing sends for the cap: one 3 hours ago (i % 20 = 2: capped by 1 a day), three in
 *     the last 2–4 days (i % 20 = 4: capped by 3 a week), one 2 days ago (i % 20 = 6: not capped),
 *   - a hard-bounced e-mail address for 0.1 % (i % 1000 = 11: bounced_before),
 *   - one segment with every customer as a member (fixture: segment_members written directly).
 * Foreign keys are not checked row by row during the load (session_replication_role = replica; the
 * rows are consistent by construction); then VACUUM ANALYZE.
 *
 * `resetLedger` empties the send ledger and the campaigns and writes the prior sends again (relative
 * to now), so every run (also on a kept database) starts from the same state.
 */
import { createLocation } from '../../src/modules/locations/index.ts';
import { addressHash } from '../../src/modules/messaging/index.ts';
import type { Db } from '../../src/platform/db.ts';
import type { Deps } from '../../src/platform/module.ts';

const CHUNK = 250_000;

/** Customer n's id, as the generator writes it. */
export const customerId = (n: number) => `cus_${String(n).padStart(26, '0')}`;

/** The segment holding every generated customer. */
export const SEGMENT_ID = 'seg_BENCHCAMPAIGNSALL000000000';
const PRIOR = 'bench-prior';

const timed = async (label: string, fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  console.log(`    ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
};

/** Runs a statement over 1..count in chunks on `lanes` connections (one transaction per chunk). */
const chunked = async (db: Db, count: number, lanes: number, sql: string, extra: unknown[] = []) => {
  const chunks: [number, number][] = [];
  for (let a = 1; a <= count; a += CHUNK) chunks.push([a, Math.min(count, a + CHUNK - 1)]);
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let c = next++; c < chunks.length; c = next++) {
        const [from, to] = chunks[c] as [number, number];
        await db.tx(async (tx) => {
          await tx.query('SET LOCAL synchronous_commit = off');
          await tx.query('SET LOCAL statement_timeout = 0');
          await tx.query('SET LOCAL session_replication_role = replica');
          await tx.query(sql, [from, to, ...extra]);
        });
      }
    }),
  );
};

const CUSTOMERS_SQL = `
INSERT INTO customers (id, email, phone, first_name, last_name, status, processing_restricted_at, erased_at,
  preferred_location_id, source, created_at, updated_at)
SELECT 'cus_' || lpad(i::text, 26, '0'),
  CASE WHEN i % 1000 = 7 OR i % 200 = 13 THEN NULL ELSE 'customer' || i || '@example.com' END,
  CASE WHEN i % 10 < 3 AND i % 1000 <> 7 THEN '+1202' || lpad((i % 10000000)::text, 7, '0') END,
  CASE WHEN i % 1000 = 7 THEN NULL ELSE 'First' || i END, 'Last' || (i % 997),
  CASE WHEN i % 1000 = 7 THEN 'erased' ELSE 'active' END,
  CASE WHEN i % 1000 = 3 THEN now() - interval '10 days' END,
  CASE WHEN i % 1000 = 7 THEN now() - interval '20 days' END,
  CASE WHEN i % 10 = 3 THEN $3 WHEN i % 10 = 4 THEN $4 END,
  'web', now() - (400 - i % 365) * interval '1 day', now() - (i % 30) * interval '1 day'
FROM generate_series($1::int, $2::int) AS i`;

const TRAITS_SQL = `
INSERT INTO customer_traits (customer_id, key, value, observed_at, updated_at)
SELECT 'cus_' || lpad(i::text, 26, '0'), 'timezone',
  to_jsonb(CASE WHEN i % 100 = 99 THEN 'Mars/Olympus' WHEN i % 10 = 5 THEN 'Europe/Berlin' ELSE 'Asia/Tokyo' END),
  now() - interval '30 days', now() - interval '30 days'
FROM generate_series($1::int, $2::int) AS i
WHERE (i % 10 IN (5, 6) OR i % 100 = 99) AND i % 1000 <> 7`;

const CONSENT_SQL = `
INSERT INTO consent_records (id, customer_id, purpose, channel, status, legal_basis, source, recorded_by, recorded_at)
SELECT 'cns_' || lpad(i::text, 22, '0') || g.k, 'cus_' || lpad(i::text, 26, '0'), 'marketing', g.channel, g.status,
  'consent', 'import', 'bench', g.at
FROM generate_series($1::int, $2::int) AS i
CROSS JOIN LATERAL (VALUES
  ('e1', 'email', 'granted', now() - interval '200 days', i % 10 < 7),
  ('e2', 'email', 'withdrawn', now() - interval '20 days', i % 10 < 7 AND i % 50 = 1),
  ('s1', 'sms', 'granted', now() - interval '100 days', i % 10 IN (0, 1, 5))
) AS g (k, channel, status, at, wanted)
WHERE g.wanted AND i % 1000 <> 7`;

const PRIOR_SQL = `
INSERT INTO message_sends (id, source_kind, source_key, campaign_id, customer_id, medium, marketing, status,
  due_at, created_at, sent_at, updated_at, address)
SELECT 'msg_prior' || lpad(i::text, 20, '0') || p.k, 'campaign', '${PRIOR}-' || p.k, 'cmp_BENCHPRIOR', 
  'cus_' || lpad(i::text, 26, '0'), 'email', true, 'sent', p.at, p.at, p.at, p.at, 'customer' || i || '@example.com'
FROM generate_series($1::int, $2::int) AS i
CROSS JOIN LATERAL (VALUES
  ('1', now() - interval '3 hours', i % 20 = 2),
  ('2', now() - interval '2 days', i % 20 IN (4, 6)),
  ('3', now() - interval '3 days', i % 20 = 4),
  ('4', now() - interval '4 days', i % 20 = 4)
) AS p (k, at, wanted)
WHERE p.wanted AND i % 1000 NOT IN (3, 7, 11) AND i % 200 <> 13`;

const MEMBERS_SQL = `
INSERT INTO segment_members (segment_id, customer_id, entered_at)
SELECT '${SEGMENT_ID}', 'cus_' || lpad(i::text, 26, '0'), now() - interval '1 day'
FROM generate_series($1::int, $2::int) AS i`;

/** VACUUM ANALYZE of some tables (outside a transaction, without the pool's statement timeout). */
export const vacuum = (db: Db, tables: string[]) =>
  db.withAdvisoryLock(0x5e6c, async (session) => {
    await session.query('SET statement_timeout = 0');
    try {
      for (const t of tables) await session.query(`VACUUM ANALYZE ${t}`);
    } finally {
      await session.query('RESET statement_timeout');
    }
  });

/** Generates the data set of `customers` customers into a fresh migrated database. */
export const generate = async (deps: Deps, customers: number): Promise<number> => {
  const db = deps.db;
  const t0 = performance.now();
  const address = { line1: '1 Main St', city: 'Town', region: 'CA', postal_code: '90001', country: 'US' };
  const [la, ny] = await db.tx(async (tx) => [
    (
      await createLocation(tx, deps, {
        name: 'Store LA',
        type: 'store',
        address,
        timezone: 'America/Los_Angeles',
      })
    ).id,
    (
      await createLocation(tx, deps, {
        name: 'Store NY',
        type: 'store',
        address,
        timezone: 'America/New_York',
      })
    ).id,
  ]);
  const lanes = 2;
  const n = customers.toLocaleString('en-US');
  await timed(`${n} customers`, () => chunked(db, customers, lanes, CUSTOMERS_SQL, [la, ny]));
  await timed('timezone traits', () => chunked(db, customers, lanes, TRAITS_SQL));
  await timed('consent records', () => chunked(db, customers, lanes, CONSENT_SQL));
  await db.query(
    `INSERT INTO segments (id, name, rules, size, created_at, updated_at, last_full_at)
     VALUES ($1, 'Bench: every customer', '{"all":[]}', $2, now(), now(), now())`,
    [SEGMENT_ID, customers],
  );
  await timed('segment members', () => chunked(db, customers, lanes, MEMBERS_SQL));
  // hard-bounced addresses: keyed hashes (HMAC with the privacy key), computed here
  const bounced: string[] = [];
  for (let i = 11; i <= customers; i += 1000) bounced.push(`customer${i}@example.com`);
  await db.query(
    `INSERT INTO message_suppressions (hash, medium, reason, created_at)
     SELECT h, 'email', 'hard_bounce', now() - interval '30 days' FROM unnest($1::text[]) AS h ON CONFLICT DO NOTHING`,
    [bounced.map((e) => addressHash(deps, 'email', e) as string)],
  );
  await resetLedger(deps, customers);
  await timed('VACUUM ANALYZE', () =>
    vacuum(db, [
      'customers',
      'customer_traits',
      'consent_records',
      'segment_members',
      'message_suppressions',
      'locations',
    ]),
  );
  return (performance.now() - t0) / 1000;
};

/**
 * Empties the ledger, rollups and campaigns (a kept database starts each run as new) and writes the
 * prior sends again, relative to now.
 */
export const resetLedger = async (deps: Deps, customers: number): Promise<void> => {
  const db = deps.db;
  await timed('ledger reset, prior sends for the cap', async () => {
    await db.query(
      'TRUNCATE message_sends, campaign_stats, campaign_plan_lanes, offer_redemptions, offer_codes, print_runs, message_callbacks',
    );
    await db.query(`DELETE FROM state_transitions WHERE entity_type = 'campaign'`).catch(() => undefined);
    await db.query('DELETE FROM campaigns');
    await db.query(`DELETE FROM plaza_settings WHERE key LIKE 'messaging.%'`);
    await chunked(db, customers, 2, PRIOR_SQL);
    await vacuum(db, ['message_sends', 'campaigns', 'campaign_stats']);
  });
};

/** How many customers a database holds (a kept database: its size). */
export const customerCount = async (db: Db): Promise<number> =>
  Number(
    (
      await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM segment_members WHERE segment_id = $1`, [
        SEGMENT_ID,
      ])
    ).rows[0]?.n ?? 0,
  );
