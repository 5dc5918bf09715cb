/**
 * The analytics benchmark's freshness: with the analytics work running as a worker runs it (the
 * `Worker` loop of src/platform/worker.ts in this process: the outbox dispatcher with the analytics
 * subscribers, woken by NOTIFY, and the analytics jobs every 2 s, again at once while busy), new
 * orders for today are written at a steady rate (20/s for 60 s by default), each in its own
 * transaction with its lines (a pickup row for pickups) and its `order.created` outbox event, as
 * checkout writes them; meanwhile events arrive (100/s by default, 5 % of them e-mail clicks:
 * touches). A poller asks `GET /admin/analytics/channels` for yesterday…tomorrow every 250 ms;
 * order i counts as visible at the first answer whose orders exceed the baseline by more than i
 * (one writer, so orders commit in order). Lag = that answer's arrival − the order's commit.
 */
import { analyticsFlow } from '../../src/flows/analytics/index.ts';
import { newId } from '../../src/platform/ids.ts';
import type { Deps } from '../../src/platform/module.ts';
import { OutboxDispatcher } from '../../src/platform/outbox/dispatcher.ts';
import { writeEvent } from '../../src/platform/outbox/events.ts';
import { type Job, Worker } from '../../src/platform/worker.ts';
import { TEST_ADMIN_TOKEN } from '../../test/support/processes.ts';
import { json, type Result, send } from '../lib/load.ts';
import type { Shop } from './analytics-data.ts';
import { campaignId } from './analytics-events.ts';
import { load, pct, summary } from './campaigns-stats.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const FRESH_EVENTS_SQL = `
INSERT INTO events (source_id, channel_id, origin, message_id, type, event, anonymous_id, customer_id,
  properties, context, "timestamp", received_at)
SELECT CASE WHEN plaza THEN 'src_plaza' ELSE $3 END, CASE WHEN plaza THEN NULL ELSE $4 END,
  CASE WHEN plaza THEN 'plaza' ELSE 'client' END, 'fresh-' || $5 || '-' || k,
  CASE WHEN plaza THEN 'track' ELSE 'page' END, CASE WHEN plaza THEN 'Email Link Clicked' ELSE 'Product' END,
  CASE WHEN NOT plaza THEN 'anon-' || c END, 'cus_' || lpad(c::text, 26, '0'),
  CASE WHEN plaza THEN jsonb_build_object('medium', 'email', 'campaign_id', $6::text) ELSE '{"path":"/product"}'::jsonb END,
  '{}'::jsonb, date_trunc('milliseconds', now()), date_trunc('milliseconds', now())
FROM (SELECT k, random() < 0.05 AS plaza, 1 + floor($2::int * power(random(), 1.5))::int AS c
      FROM generate_series(1, $1::int) AS k) g`;

interface JobRun {
  name: string;
  ms: number;
  handled: number;
}

/** One order for today, as checkout writes it (order, lines, a pickup for pickups, the outbox event). */
const writeOrder = async (deps: Deps, shop: Shop, customers: number, i: number) =>
  deps.db.tx(async (tx) => {
    const r = Math.random();
    const ch = r < 0.45 ? 0 : r < 0.7 ? 1 : r < 0.85 ? 2 : 3;
    const channel = shop.channels[ch] as string;
    const fulfillment = ch >= 2 ? 'in_store' : Math.random() < 0.2 ? 'pickup' : 'shipping';
    const pickupAt = fulfillment === 'pickup' ? (shop.stores[i % 4] as string) : null;
    const selling = ch >= 2 ? (shop.stores[ch - 2] as string) : null;
    const known = Math.random() < (ch >= 2 ? 0.55 : 0.9);
    const n = 1 + Math.floor(customers * Math.random() ** 1.5);
    const customer = known ? `cus_${String(n).padStart(26, '0')}` : null;
    const price = 990 + ((i * 7919) % 9000);
    const lines = 1 + (i % 2);
    const shipping = fulfillment === 'shipping' ? 495 : 0;
    const total = price * lines + shipping;
    const id = newId('ord');
    const o = await tx.query<{ number: number }>(
      `INSERT INTO orders (id, channel_id, selling_location_id, customer_id, email, status, payment_status,
         fulfillment_type, pickup_location_id, currency, subtotal, shipping_total, total, placed_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'USD', $10, $11, $12, now(), now(), now())
       RETURNING number`,
      [
        id,
        channel,
        selling,
        customer,
        customer ? `customer${n}@example.com` : null,
        ch >= 2 ? 'completed' : 'confirmed',
        fulfillment === 'pickup' ? 'authorized' : 'captured',
        fulfillment,
        pickupAt,
        price * lines,
        shipping,
        total,
      ],
    );
    await tx.query(
      `INSERT INTO order_lines (id, order_id, position, sku, title, quantity, unit_price, total)
       SELECT $1 || '_' || j, $2, j, 'SKU-' || lpad(((j * 17 + $4::int) % 400)::text, 4, '0'), 'Product', 1, $3, $3
       FROM generate_series(1, $5::int) AS j`,
      [newId('orl'), id, price, i, lines],
    );
    const number = o.rows[0]?.number ?? 0;
    if (pickupAt)
      await tx.query(
        `INSERT INTO pickups (order_id, order_number, location_id, channel_id, customer_id, status, code,
           ready_estimate_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'to_prepare', $6, now() + interval '3 hours', now(), now())`,
        [id, number, pickupAt, channel, customer, `P${String(number).padStart(7, '0')}`],
      );
    await writeEvent(tx, deps.clock, {
      type: 'order.created',
      aggregateType: 'order',
      aggregateId: id,
      data: {
        order_id: id,
        number,
        channel_id: channel,
        customer_id: customer,
        status: ch >= 2 ? 'completed' : 'confirmed',
        total,
        currency: 'USD',
        fulfillment_type: fulfillment,
        pickup_location_id: pickupAt,
        selling_location_id: selling,
        location_id: pickupAt ?? selling,
      },
    });
  });

/** The worker's analytics part: the outbox with the analytics subscribers, and the analytics jobs (timed). */
const analyticsWorker = (deps: Deps, runs: JobRun[]) => {
  const dispatcher = new OutboxDispatcher({ ...deps, subscribers: analyticsFlow.subscribers?.(deps) ?? [] });
  const jobs: Job[] = [
    { name: 'outbox', runOnce: () => dispatcher.runOnce(), intervalMs: 1000, wakeOn: 'plaza_outbox' },
    ...(analyticsFlow.jobs?.(deps) ?? []),
  ].map((j) => ({
    ...j,
    async runOnce() {
      const t = performance.now();
      const handled = await j.runOnce();
      runs.push({ name: j.name, ms: performance.now() - t, handled });
      return handled;
    },
  }));
  return { dispatcher, worker: new Worker(deps.db, deps.log, jobs) };
};

export interface FreshOptions {
  ordersPerSecond: number;
  seconds: number;
  eventsPerSecond: number;
  customers: number;
}

export const freshnessBench = async (
  deps: Deps,
  shop: Shop,
  base: string,
  o: FreshOptions,
): Promise<Result[]> => {
  const runs: JobRun[] = [];
  const { dispatcher, worker } = analyticsWorker(deps, runs);
  // start from a clean state: the outbox delivered, the cursors and rollups caught up
  while ((await dispatcher.runOnce()) > 0);
  for (const j of analyticsFlow.jobs?.(deps) ?? []) while ((await j.runOnce()) > 0);
  await deps.db.query("SELECT plaza_events_ensure_partitions((now() - interval '2 days')::date, 2)");
  const now = new Date();
  const d = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const path = `/admin/analytics/channels?from=${d(-1)}&to=${d(1)}`;
  const polls: { at: number; ms: number; visible: number; pending: number }[] = [];
  const poll = async (baseline: number) => {
    const t = performance.now();
    const r = await send(base, {
      method: 'GET',
      path,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    if (r.status !== 200) throw new Error(`channels: ${r.status} ${r.body.slice(0, 200)}`);
    const body = json<{ rows: { orders: number }[]; freshness: { pending_days: number } }>(r);
    const orders = body.rows.reduce((s, x) => s + x.orders, 0);
    const at = performance.now();
    polls.push({ at, ms: at - t, visible: orders - baseline, pending: body.freshness.pending_days });
    return orders;
  };
  const baseline = await poll(0);
  polls.length = 0;
  runs.length = 0;
  await worker.start();
  const total = Math.round(o.ordersPerSecond * o.seconds);
  const commits: number[] = [];
  let writing = true;
  let failures = 0;
  const loadBefore = load();
  const t0 = performance.now();
  const writer = (async () => {
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / o.ordersPerSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      await writeOrder(deps, shop, o.customers, i);
      commits.push(performance.now());
    }
    writing = false;
  })();
  const events = (async () => {
    for (let k = 0; writing && o.eventsPerSecond > 0; k++) {
      const due = t0 + k * 500;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      await deps.db.query(FRESH_EVENTS_SQL, [
        Math.max(1, Math.round(o.eventsPerSecond / 2)),
        o.customers,
        shop.webSource,
        shop.channels[0],
        `${Date.now()}-${k}`,
        campaignId(8),
      ]);
    }
  })();
  const poller = (async () => {
    const deadline = t0 + o.seconds * 1000 + 300_000;
    for (;;) {
      try {
        const seen = (await poll(baseline)) - baseline;
        if (!writing && seen >= total) break;
      } catch {
        failures++;
      }
      if (performance.now() > deadline) break;
      await sleep(250);
    }
  })();
  await Promise.all([writer, events, poller]);
  const written = (commits.at(-1) ?? t0) - t0;
  await worker.stop();
  // order i is visible at the first poll answer that shows more than i new orders
  const lags: number[] = [];
  let p = 0;
  for (let i = 0; i < commits.length; i++) {
    while (p < polls.length && (polls[p]?.visible ?? 0) <= i) p++;
    const seen = polls[p];
    if (seen) lags.push((seen.at - (commits[i] as number)) / 1000);
  }
  const missed = commits.length - lags.length;
  const rebuilds = runs.filter((r) => r.name === 'analytics-rollups' && r.handled > 0);
  const touches = runs.filter((r) => r.name === 'analytics-touches');
  const outbox = runs.filter((r) => r.name === 'outbox' && r.handled > 0);
  const s = (xs: number[]) => `p50 ${pct(xs, 50)} ms, max ${pct(xs, 100)} ms`;
  console.log(
    `  wrote ${commits.length} orders in ${(written / 1000).toFixed(1)} s (${(commits.length / (written / 1000)).toFixed(1)}/s) and ${o.eventsPerSecond} events/s (5 % touches); load ${loadBefore} → ${load()}`,
  );
  console.log(
    `  lag commit → visible in /admin/analytics/channels: p50 ${pct(lags, 50)} s, p95 ${pct(lags, 95)} s, max ${pct(lags, 100)} s (target < 60 s: ${pct(lags, 100) < 60 && missed === 0 ? 'met' : 'MISSED'})${missed ? `; ${missed} orders never seen within 5 min` : ''}`,
  );
  console.log(
    `  worker: ${rebuilds.length} rebuild steps of ${rebuilds.map((r) => r.handled).join('/')} days (${s(rebuilds.map((r) => r.ms))}); ${touches.length} touch-cursor runs (${s(touches.map((r) => r.ms))}); ${outbox.length} outbox batches (${s(outbox.map((r) => r.ms))})`,
  );
  console.log(
    `  the poll itself (channels, 3 days): ${s(polls.map((x) => x.ms))}; most days pending seen ${Math.max(0, ...polls.map((x) => x.pending))}; ${failures} failed polls`,
  );
  if (missed || failures) process.exitCode = 1;
  const lagMs = lags.map((x) => x * 1000);
  return [
    {
      ...summary(`freshness: order commit → in the channels report (${o.ordersPerSecond}/s)`, lagMs, missed),
      throughput: 0,
    },
  ];
};
