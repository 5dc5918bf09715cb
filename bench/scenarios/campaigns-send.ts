/**
 * Delivery to a local SMTP server (campaigns-smtp.mjs, a child process that only counts): an e-mail
 * campaign to N recipients (who passed the gate when the big campaign was planned, or, when only this
 * part runs, customers the generator made contactable by e-mail) is planned by the
 * real planner, then the real sender (runSender: claim, gate again, render, SMTP through the pooled
 * nodemailer transport, ledger) runs in this process as the sender job does (one loop, or
 * PLAZA_BENCH_SENDERS loops like that many worker processes), with the configuration's batch,
 * concurrency and SMTP pool. Measured: e-mails per second, this process's RSS sampled every 100 ms,
 * and per message the time from its batch's claim to the SMTP server's 250 answer.
 * Quiet hours are switched off for this run (the recipients' local time would otherwise hold part of
 * the mail back, whatever the hour the benchmark runs at) and put back afterwards.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type ChildProcess, fork } from 'node:child_process';
import * as service from '../../src/flows/campaigns/campaigns-service.ts';
import { planDue } from '../../src/flows/campaigns/plan.ts';
import { runSender } from '../../src/flows/campaigns/sender.ts';
import { type ProviderRegistry, providers } from '../../src/modules/messaging/index.ts';
import type { MessageProvider } from '../../src/modules/messaging/types.ts';
import type { Deps } from '../../src/platform/module.ts';
import type { Result } from '../lib/load.ts';
import { timedDb } from './campaigns-dbtime.ts';
import { summary } from './campaigns-stats.ts';

export interface SmtpChild {
  url: string;
  stats(): Promise<{ received: number; distinct: number; bytes: number; first: number; last: number }>;
  close(): Promise<void>;
}

/** Starts the counting SMTP server in a child process. */
export const startSmtpChild = async (): Promise<SmtpChild> => {
  const child: ChildProcess = fork(new URL('./campaigns-smtp.mjs', import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`SMTP server exited (${code})`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as Awaited<ReturnType<SmtpChild['stats']>>));
        child.send('stats');
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
};

const EMAIL = {
  subject: 'Spring sale, {{ customer.first_name }}',
  html: '<h1>Hello {{ customer.first_name }}</h1><p>Our spring sale starts today: 20 % off boots and jackets.</p><p><a href="https://shop.example/sale">See the sale</a></p>',
  text: 'Hello {{ customer.first_name }}, our spring sale starts today: 20 % off boots and jackets. https://shop.example/sale',
};

/** The highest sample in each quarter of the run. */
const quarters = (xs: readonly number[]): number[] =>
  [0, 1, 2, 3].map((q) =>
    Math.max(0, ...xs.slice(Math.floor((q * xs.length) / 4), Math.floor(((q + 1) * xs.length) / 4))),
  );

export const deliveryBench = async (
  deps: Deps,
  smtp: SmtpChild,
  o: { fromCampaignId?: string; customers: number; sends: number; senders: number; load: () => string },
): Promise<Result[]> => {
  const db = deps.db;
  const now = deps.clock.now();
  // the big campaign stops sending (it stays as planned), quiet hours off for this run
  if (o.fromCampaignId)
    await db.tx((tx) => service.pauseCampaign(tx, deps.clock, o.fromCampaignId as string, 'bench'));
  await db.query(
    `INSERT INTO plaza_settings (key, value) VALUES ('messaging.quiet_hours', '{"start":"00:00","end":"00:00"}')
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
  );
  try {
    const segmentId = `seg_BENCHSEND${Date.now().toString(36).toUpperCase().padStart(15, '0')}`;
    await db.query(
      `INSERT INTO segments (id, name, rules, size, created_at, updated_at, last_full_at)
       VALUES ($1, $1, '{"all":[]}', 0, $2, $2, $2)`,
      [segmentId, now],
    );
    // recipients: e-mails the big campaign planned, or (run alone) customers the generator made
    // contactable by e-mail (consent, address, not capped, not bounced, not restricted)
    const members = o.fromCampaignId
      ? await db.query(
          `INSERT INTO segment_members (segment_id, customer_id, entered_at)
           SELECT $1, customer_id, $3 FROM message_sends
           WHERE campaign_id = $2 AND medium = 'email' AND status = 'planned' ORDER BY customer_id LIMIT $4`,
          [segmentId, o.fromCampaignId, now, o.sends],
        )
      : await db.query(
          `INSERT INTO segment_members (segment_id, customer_id, entered_at)
           SELECT $1, 'cus_' || lpad(i::text, 26, '0'), $2 FROM generate_series(1, $3::int) AS i
           WHERE i % 10 < 7 AND i % 50 <> 1 AND i % 20 NOT IN (2, 4) AND i % 1000 NOT IN (3, 7, 11)
             AND i % 200 <> 13
           LIMIT $4`,
          [segmentId, now, o.customers, o.sends],
        );
    const c = await db.tx((tx) =>
      service.createCampaign(
        tx,
        deps.clock,
        {
          name: `Bench delivery ${segmentId}`,
          segment_id: segmentId,
          media: ['email'],
          variants: [{ key: 'A', split: 100, content: { email: EMAIL } }],
        },
        'bench',
      ),
    );
    await db.tx((tx) => service.scheduleCampaign(tx, deps.clock, c.id, 'bench'));
    await planDue(deps);
    const planned = Number(
      (
        await db.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM message_sends WHERE campaign_id = $1 AND status = 'planned'`,
          [c.id],
        )
      ).rows[0]?.n,
    );
    const m = deps.config.messaging;
    console.log(
      `  delivery: ${planned.toLocaleString('en-US')} e-mails planned (of ${members.rowCount} members); batch ${m.sendBatch}, concurrency ${m.sendConcurrency}, SMTP pool ${m.smtpPoolSize}, ${o.senders} sender loop(s)`,
    );

    // the real registry, wrapped to time each message from its batch's claim to the SMTP answer
    const claimOf = new AsyncLocalStorage<number>();
    const latencies: number[] = [];
    const inner = providers(deps);
    const wrap = (p: MessageProvider): MessageProvider => ({
      ...p,
      send: async (msg) => {
        const r = await p.send(msg);
        const claimed = claimOf.getStore();
        if (r.ok && claimed !== undefined) latencies.push(performance.now() - claimed);
        return r;
      },
    });
    const registry: ProviderRegistry = {
      get: (medium) => {
        const p = inner.get(medium);
        return p ? wrap(p) : undefined;
      },
      close: () => inner.close(),
    };

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssMax = rssBefore;
    const samples: number[] = [];
    const sampler = setInterval(() => {
      const rss = process.memoryUsage().rss;
      samples.push(rss);
      rssMax = Math.max(rssMax, rss);
    }, 100);
    const loadBefore = o.load();
    const rounds: number[] = [];
    // the sender's statements timed by kind (where the time goes)
    const timed = timedDb(db);
    const sdeps: Deps = { ...deps, db: timed.db };
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    try {
      await Promise.all(
        Array.from({ length: o.senders }, async () => {
          for (;;) {
            const start = performance.now();
            const n = await claimOf.run(start, () => runSender(sdeps, { registry }));
            if (n === 0) break;
            rounds.push(performance.now() - start);
          }
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
    const outcome = await db.query<{ status: string; n: string }>(
      `SELECT status || coalesce(':' || skip_reason, '') AS status, count(*)::text AS n FROM message_sends
       WHERE campaign_id = $1 GROUP BY 1 ORDER BY 1`,
      [c.id],
    );
    const by = new Map(outcome.rows.map((x) => [x.status, Number(x.n)]));
    const sent = by.get('sent') ?? 0;
    const got = await smtp.stats();
    const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
    console.log(
      `  sent ${sent.toLocaleString('en-US')} e-mails in ${seconds.toFixed(1)} s = ${Math.round(sent / seconds)}/s; ledger: ${[...by].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
    console.log(
      `  SMTP server received ${got.received} messages (${got.distinct} distinct Message-IDs, ${mb(got.bytes)}); RSS ${mb(rssBefore)} before, max ${mb(rssMax)} during (+${mb(rssMax - rssBefore)}); max in each quarter of the run ${quarters(samples).map(mb).join(', ')} (bounded: no growth with the number sent); ${rounds.length} rounds; load ${loadBefore} → ${o.load()}`,
    );
    console.log(
      `  this process (sender + nodemailer) used ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU = ${((cpu.user + cpu.system) / 1000 / Math.max(1, sent)).toFixed(2)} ms per e-mail; the sender's statements (client-side time, summed; overlapping):`,
    );
    for (const l of timed.times.report(8)) console.log(`    ${l}`);
    const problems: string[] = [];
    if (sent !== planned) problems.push(`${planned - sent} planned e-mails not sent`);
    if (got.received !== sent)
      problems.push(`the SMTP server received ${got.received}, the ledger says ${sent} sent`);
    if (got.distinct !== got.received)
      problems.push(`${got.received - got.distinct} messages received twice`);
    if (problems.length) {
      console.error(`\n!!! delivery: ${problems.join('; ')} !!!\n`);
      process.exitCode = 1;
    }
    return [
      {
        ...summary(
          `SMTP delivery, claim → 250 per e-mail (${sent} e-mails, max RSS ${mb(rssMax)})`,
          latencies,
          problems.length,
        ),
        seconds: Math.round(seconds * 10) / 10,
        throughput: Math.round(sent / seconds),
      },
      summary(`sender round (claim ${m.sendBatch}, gate, render, send, ledger)`, rounds),
    ];
  } finally {
    await db.query(`DELETE FROM plaza_settings WHERE key = 'messaging.quiet_hours'`);
  }
};
