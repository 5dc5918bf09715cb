/**
 * The outbox relay to NATS JetStream: a consumer of the outbox, like the in-process subscribers, that
 * records each event it relayed in `consumed_events` (consumer `nats:<stream>`). Delivery is at least
 * once: an event is marked only after JetStream acknowledged it, so a relay that dies in between
 * publishes it again, and JetStream drops the copy (the event id is the message id).
 *
 * One relay publishes at a time: a lease in `plaza_settings` (`outbox.relay:nats:<stream>`), renewed
 * every round, which another worker takes over 10 s after its holder died (at once on a clean stop).
 * The lease also keeps the floor (relay-frontier.ts), so a new holder does not scan from the start.
 *
 * A NATS failure is routine: nothing is marked, and the round is retried with backoff (1 s doubling to
 * 30 s) while the client reconnects; the process never stops for it.
 */
import { hostname } from 'node:os';
import type { Clock } from '../clock.ts';
import type { Db } from '../db.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../log.ts';
import type { Deps } from '../module.ts';
import type { Job } from '../worker.ts';
import type { NatsConfig } from './nats-config.ts';
import { NatsLink } from './nats-link.ts';
import type { EventEnvelope } from './payload.ts';
import { RelayFrontier, type ScanSnapshot } from './relay-frontier.ts';

export const RELAY_LEASE_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

export interface NatsRelayOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  nats: NatsConfig;
  /** Events published per round (default 100). */
  batchSize?: number;
}

interface ScanRow {
  xmin: string;
  xmax: string;
  top: number;
  id: string | null;
  seq: number | null;
  type: string | null;
  data: Record<string, unknown> | null;
  occurred_at: Date | null;
}

interface Pending extends EventEnvelope {
  seq: number;
}

/** One scan, one snapshot: the lowest events above the floor not yet relayed, and what the snapshot saw. */
const SCAN_SQL = `
  SELECT s.xmin, s.xmax, s.top, e.id, e.seq, e.type, e.data, e.occurred_at
  FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
               pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
               (SELECT coalesce(max(seq), 0) FROM outbox_events) AS top) s
  LEFT JOIN LATERAL (
    SELECT o.id, o.seq, o.type, o.data, o.occurred_at FROM outbox_events o
    WHERE o.seq > $1
      AND NOT EXISTS (SELECT 1 FROM consumed_events c WHERE c.consumer = $2 AND c.event_id = o.id)
    ORDER BY o.seq LIMIT $3) e ON true
  ORDER BY e.seq`;

/** Takes or renews the lease (and stores the floor); no row when another relay holds it. */
const LEASE_SQL = `
  INSERT INTO plaza_settings (key, value)
  VALUES ($1, jsonb_build_object('holder', $2::text, 'until', $3::text, 'floor', $4::bigint))
  ON CONFLICT (key) DO UPDATE SET
    value = jsonb_build_object('holder', $2::text, 'until', $3::text,
      'floor', greatest(coalesce((plaza_settings.value ->> 'floor')::bigint, 0), $4::bigint)),
    updated_at = now()
  WHERE plaza_settings.value ->> 'holder' = $2 OR (plaza_settings.value ->> 'until')::timestamptz <= $5
  RETURNING (value ->> 'floor')::bigint AS floor`;

export class NatsRelay {
  readonly consumer: string;
  private readonly leaseKey: string;
  private readonly holder = `${hostname()}:${process.pid}:${newId('relay')}`;
  private readonly batchSize: number;
  private readonly link: NatsLink;
  private readonly frontier = new RelayFrontier();
  private failures = 0;
  private retryAt = 0;
  /** App-clock times (ms): the lease is ours without asking until `heldUntil`; another's until `standbyUntil`. */
  private heldUntil = 0;
  private standbyUntil = 0;

  constructor(private readonly opts: NatsRelayOptions) {
    this.consumer = `nats:${opts.nats.stream}`;
    this.leaseKey = `outbox.relay:${this.consumer}`;
    this.batchSize = opts.batchSize ?? 100;
    this.link = new NatsLink(opts.nats, opts.log);
  }

  /**
   * One round: takes the lease, publishes the next batch in outbox order and marks what JetStream
   * acknowledged. Returns how many events were relayed (0 while another relay holds the lease, or while
   * waiting to retry after a NATS failure). Database errors are thrown (the worker retries the job).
   */
  async runOnce(): Promise<number> {
    if (performance.now() < this.retryAt) return 0;
    if (!(await this.takeLease())) return 0;
    const floor = this.frontier.floor;
    const startedAt = performance.now();
    const { rows } = await this.opts.db.query<ScanRow>(SCAN_SQL, [floor, this.consumer, this.batchSize]);
    const endedAt = performance.now();
    const first = rows[0];
    if (!first) return 0;
    const snap: ScanSnapshot = { xmin: BigInt(first.xmin), xmax: BigInt(first.xmax), top: Number(first.top) };
    const events = rows.flatMap((r): Pending[] =>
      r.id && r.seq !== null && r.type && r.occurred_at
        ? [{ id: r.id, seq: r.seq, type: r.type, data: r.data ?? {}, occurredAt: r.occurred_at }]
        : [],
    );
    const relayed = events.length ? await this.relay(events) : 0;
    if (relayed === events.length) {
      const last = events.at(-1);
      const covered = events.length === this.batchSize && last ? last.seq : snap.top;
      this.frontier.advance(snap, covered, startedAt, endedAt);
    }
    return relayed;
  }

  /** Publishes, then marks every acknowledged event; a failure schedules the retry. */
  private async relay(events: Pending[]): Promise<number> {
    let outcomes: PromiseSettledResult<unknown>[];
    try {
      outcomes = await this.link.publish(events);
    } catch (e) {
      this.failed(e);
      return 0;
    }
    const acked = events.filter((_, i) => outcomes[i]?.status === 'fulfilled').map((e) => e.id);
    if (acked.length) {
      await this.opts.db.query(
        'INSERT INTO consumed_events (consumer, event_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
        [this.consumer, acked],
      );
    }
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (rejected) this.failed(rejected.reason);
    else if (this.failures > 0) {
      this.opts.log.info({ stream: this.opts.nats.stream }, 'NATS relay publishes again');
      this.failures = 0;
    }
    return acked.length;
  }

  private failed(err: unknown): void {
    this.failures++;
    const wait = Math.min(1000 * 2 ** (this.failures - 1), MAX_BACKOFF_MS);
    this.retryAt = performance.now() + wait;
    // an outage is logged once, not at every retry
    if (this.failures === 1) {
      this.opts.log.warn(
        { err, stream: this.opts.nats.stream },
        'NATS relay cannot publish; events stay in the outbox and are retried',
      );
    }
  }

  /**
   * Takes or renews the lease, asking the database at most every third of the lease while holding it
   * (the floor is stored then too), and once a second while another relay holds it.
   */
  private async takeLease(): Promise<boolean> {
    const now = this.opts.clock.now();
    const at = now.getTime();
    if (at < this.heldUntil) return true;
    if (at < this.standbyUntil) return false;
    const { rows } = await this.opts.db.query<{ floor: number }>(LEASE_SQL, [
      this.leaseKey,
      this.holder,
      new Date(at + RELAY_LEASE_MS).toISOString(),
      this.frontier.floor,
      now,
    ]);
    const row = rows[0];
    if (!row) {
      this.standbyUntil = at + 1000;
      return false;
    }
    this.heldUntil = at + RELAY_LEASE_MS / 3;
    this.frontier.raiseTo(Number(row.floor));
    return true;
  }

  /** Closes the NATS connection and hands the lease over (another worker takes it at its next round). */
  async stop(): Promise<void> {
    this.heldUntil = 0;
    await this.link.close();
    await this.opts.db
      .query(
        `UPDATE plaza_settings SET value = value || jsonb_build_object('until', $3::text)
         WHERE key = $1 AND value ->> 'holder' = $2`,
        [this.leaseKey, this.holder, new Date(0).toISOString()],
      )
      .catch(() => undefined);
  }
}

/** The relay as a worker job, when PLAZA_NATS_URL is set: woken by every outbox commit. */
export const natsRelayJobs = (deps: Deps): Job[] => {
  const nats = deps.config.nats;
  if (!nats) return [];
  const relay = new NatsRelay({ ...deps, nats });
  return [
    {
      name: 'nats-relay',
      runOnce: () => relay.runOnce(),
      intervalMs: 1000,
      wakeOn: 'plaza_outbox',
      stop: () => relay.stop(),
    },
  ];
};
