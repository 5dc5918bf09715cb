import type { Clock } from '../clock.ts';
import type { Db } from '../db.ts';
import type { Logger } from '../log.ts';
import { eventJson } from './payload.ts';
import { SIGNATURE_HEADER, signPayload, standardWebhookHeaders } from './signing.ts';

export interface WebhookSenderOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  batchSize?: number;
  leaseMs?: number;
  timeoutMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Retry schedule: 10 s, 20 s, 40 s … capped at 6 hours, with ±10 % jitter. */
export const webhookBackoffMs = (attempt: number, random: () => number = Math.random): number => {
  const base = Math.min(10_000 * 2 ** (attempt - 1), 6 * 3_600_000);
  return Math.round(base * (0.9 + 0.2 * random()));
};

interface DueDelivery {
  id: string;
  attempts: number;
  max_attempts: number;
  url: string;
  secret: string;
  /** The secret before the last rotation, while its grace period runs (else null). */
  previous_secret: string | null;
  event_id: string;
  event_type: string;
  data: Record<string, unknown>;
  occurred_at: Date;
}

interface Outcome {
  id: string;
  status: number | null;
  error: string | null;
  ok: boolean;
  dead: boolean;
  next: Date;
}

/**
 * Sends webhook deliveries: claims due rows with `FOR UPDATE SKIP LOCKED` and a lease (short
 * transaction), posts them with no lock held, then records the outcome. A delivery is retried with
 * exponential backoff and dead-lettered after the endpoint's max attempts.
 */
export class WebhookSender {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: WebhookSenderOptions) {
    this.batchSize = opts.batchSize ?? 50;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.fetchFn = opts.fetch ?? fetch;
  }

  /** Claims and sends one batch. Returns how many deliveries it attempted. */
  async runOnce(): Promise<number> {
    const now = this.opts.clock.now();
    const { rows } = await this.opts.db.query<DueDelivery>(
      `WITH claimed AS (
         SELECT id FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE webhook_deliveries d SET locked_until = $3, attempts = d.attempts + 1, last_attempt_at = $1
       FROM claimed, webhook_endpoints w, outbox_events e
       WHERE d.id = claimed.id AND w.id = d.endpoint_id AND e.id = d.event_id
       RETURNING d.id, d.attempts, w.max_attempts, w.url, w.secret,
                 CASE WHEN w.previous_secret_expires_at > $1 THEN w.previous_secret END AS previous_secret,
                 e.id AS event_id, e.type AS event_type,
                 e.data, e.occurred_at`,
      [now, this.batchSize, new Date(now.getTime() + this.leaseMs)],
    );
    if (rows.length === 0) return 0;
    const outcomes = await Promise.all(rows.map((d) => this.send(d)));
    await this.record(outcomes);
    return rows.length;
  }

  private async send(d: DueDelivery): Promise<Outcome> {
    const body = eventJson({ id: d.event_id, type: d.event_type, occurredAt: d.occurred_at, data: d.data });
    const nowMs = this.opts.clock.now().getTime();
    const unix = Math.floor(nowMs / 1000);
    const secrets = d.previous_secret ? [d.secret, d.previous_secret] : [d.secret];
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await this.fetchFn(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Plaza-Webhooks/1',
          'plaza-event-id': d.event_id,
          'plaza-event-type': d.event_type,
          'plaza-delivery-id': d.id,
          // Standard Webhooks: the event id is the message id, the same on every retry.
          ...standardWebhookHeaders(secrets, d.event_id, unix, body),
          [SIGNATURE_HEADER]: signPayload(d.secret, body, unix),
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = (e as Error).message.slice(0, 500);
    }
    const ok = error === null;
    return {
      id: d.id,
      status,
      error,
      ok,
      dead: !ok && d.attempts >= d.max_attempts,
      next: new Date(nowMs + webhookBackoffMs(d.attempts)),
    };
  }

  private async record(outcomes: Outcome[]): Promise<void> {
    const now = this.opts.clock.now();
    await this.opts.db.tx(async (tx) => {
      for (const o of outcomes) {
        const status = o.ok ? 'delivered' : o.dead ? 'dead' : 'pending';
        await tx.query(
          `UPDATE webhook_deliveries SET status = $2, last_status = $3, last_error = $4, locked_until = NULL,
             delivered_at = CASE WHEN $2 = 'delivered' THEN $5::timestamptz ELSE delivered_at END,
             next_attempt_at = CASE WHEN $2 = 'pending' THEN $6::timestamptz ELSE next_attempt_at END
           WHERE id = $1`,
          [o.id, status, o.status, o.error, now, o.next],
        );
        if (o.dead)
          this.opts.log.warn({ deliveryId: o.id, error: o.error }, 'webhook delivery dead-lettered');
      }
    });
  }
}
