import type { Clock } from '../clock.ts';
import { type Db, isDatabaseUnavailable } from '../db.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../log.ts';
import { type EventRow, matchesType, type OutboxEvent, type Subscriber, toEvent } from './events.ts';

export interface DispatcherOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  subscribers: readonly Subscriber[];
  batchSize?: number;
  /** How long a claimed batch stays invisible to other dispatchers. */
  leaseMs?: number;
  /** Attempts before an event whose subscriber keeps failing is marked failed (dead-lettered). */
  maxAttempts?: number;
}

/** NOTIFY channel that wakes webhook senders when deliveries were queued. */
export const WEBHOOKS_CHANNEL = 'plaza_webhooks';

/** Exponential backoff with a cap: 1 s, 2 s, 4 s … up to 10 minutes. */
export const subscriberBackoffMs = (attempt: number): number => Math.min(1000 * 2 ** (attempt - 1), 600_000);

interface EndpointFilter {
  id: string;
  event_types: string[];
}

/**
 * Moves events out of the outbox: runs in-process subscribers and fans events out to webhook
 * deliveries. Several dispatchers (in several processes) share the work: a batch is claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease, so no event waits behind a slow or crashed process.
 */
export class OutboxDispatcher {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly opts: DispatcherOptions) {
    this.batchSize = opts.batchSize ?? 100;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.maxAttempts = opts.maxAttempts ?? 10;
  }

  /** Claims and processes one batch. Returns how many events it claimed. */
  async runOnce(): Promise<number> {
    const now = this.opts.clock.now();
    const { rows } = await this.opts.db.query<EventRow>(
      `WITH claimed AS (
         SELECT id FROM outbox_events
         WHERE status = 'pending' AND available_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
         ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE outbox_events e SET locked_until = $3, attempts = e.attempts + 1
       FROM claimed WHERE e.id = claimed.id
       RETURNING e.id, e.seq, e.type, e.aggregate_type, e.aggregate_id, e.data, e.occurred_at, e.attempts`,
      [now, this.batchSize, new Date(now.getTime() + this.leaseMs)],
    );
    if (rows.length === 0) return 0;
    const events = (rows as (EventRow & { attempts: number })[]).sort((a, b) => a.seq - b.seq);
    const failures = new Map<string, string>();
    for (const row of events) {
      const error = await this.runSubscribers(toEvent(row));
      if (error) failures.set(row.id, error);
    }
    await this.settle(events, failures);
    return rows.length;
  }

  private async runSubscribers(event: OutboxEvent): Promise<string | undefined> {
    const errors: string[] = [];
    for (const sub of this.opts.subscribers) {
      if (!sub.types.some((p) => matchesType(p, event.type))) continue;
      if (sub.accepts && !sub.accepts(event)) continue;
      try {
        await this.opts.db.tx(async (tx) => {
          const first = await tx.query(
            'INSERT INTO consumed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
            [sub.name, event.id],
          );
          if (first.rowCount === 1) await sub.handle(tx, event);
        });
      } catch (e) {
        // The database went away: not the subscriber's fault. Abandon the batch (its lease runs out
        // and it is claimed again) instead of counting an attempt against the event.
        if (isDatabaseUnavailable(e)) throw e;
        this.opts.log.error({ err: e, subscriber: sub.name, eventId: event.id }, 'subscriber failed');
        errors.push(`${sub.name}: ${(e as Error).message}`);
      }
    }
    return errors.length ? errors.join('; ').slice(0, 2000) : undefined;
  }

  /** Fans out to webhook endpoints and records each event's outcome, in one transaction. */
  private async settle(events: (EventRow & { attempts: number })[], failures: Map<string, string>) {
    const now = this.opts.clock.now();
    await this.opts.db.tx(async (tx) => {
      const { rows: endpoints } = await tx.query<EndpointFilter>(
        'SELECT id, event_types FROM webhook_endpoints WHERE enabled',
      );
      const params: unknown[] = [now];
      const values: string[] = [];
      for (const e of events) {
        for (const ep of endpoints) {
          const wanted = ep.event_types.length === 0 || ep.event_types.some((p) => matchesType(p, e.type));
          if (!wanted) continue;
          const b = params.length;
          params.push(newId('whd'), ep.id, e.id);
          values.push(`($${b + 1}, $${b + 2}, $${b + 3}, $1, $1)`);
        }
      }
      if (values.length) {
        await tx.query(
          `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, next_attempt_at, created_at)
           VALUES ${values.join(', ')} ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
          params,
        );
        await tx.query(`SELECT pg_notify('${WEBHOOKS_CHANNEL}', '')`);
      }
      const ok = events.filter((e) => !failures.has(e.id)).map((e) => e.id);
      if (ok.length) {
        await tx.query(
          `UPDATE outbox_events SET status = 'dispatched', dispatched_at = $2, locked_until = NULL, last_error = NULL
           WHERE id = ANY($1)`,
          [ok, now],
        );
      }
      for (const e of events) {
        const error = failures.get(e.id);
        if (!error) continue;
        const dead = e.attempts >= this.maxAttempts;
        await tx.query(
          `UPDATE outbox_events SET status = $2, available_at = $3, locked_until = NULL, last_error = $4 WHERE id = $1`,
          [
            e.id,
            dead ? 'failed' : 'pending',
            new Date(now.getTime() + subscriberBackoffMs(e.attempts)),
            error,
          ],
        );
      }
    });
  }
}
