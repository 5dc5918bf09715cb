import type { WriteBatch } from '../batch.ts';
import type { Clock } from '../clock.ts';
import type { Queryable, Tx } from '../db.ts';
import { newId } from '../ids.ts';

/** An event as stored in the outbox and delivered to subscribers and webhooks. */
export interface OutboxEvent<D = Record<string, unknown>> {
  id: string;
  seq: number;
  type: string;
  aggregateType: string | null;
  aggregateId: string | null;
  data: D;
  occurredAt: Date;
}

export interface NewEvent {
  type: string;
  aggregateType?: string;
  aggregateId?: string;
  data: Record<string, unknown>;
}

/**
 * Writes events to the outbox inside the caller's transaction: they exist exactly when the change
 * they describe commits. Dispatchers are woken by a NOTIFY sent on commit.
 */
export const writeEvents = async (tx: Tx, clock: Clock, events: NewEvent[]): Promise<string[]> => {
  if (events.length === 0) return [];
  const at = clock.now();
  const ids = events.map(() => newId('evt'));
  const params: unknown[] = [];
  const values = events.map((e, i) => {
    params.push(ids[i], e.type, e.aggregateType ?? null, e.aggregateId ?? null, JSON.stringify(e.data), at);
    const b = i * 6;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::jsonb, $${b + 6}, $${b + 6})`;
  });
  await tx.query(
    `INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, data, occurred_at, available_at)
     VALUES ${values.join(', ')}`,
    params,
  );
  return ids;
};

/** Writes one event; returns its id. */
export const writeEvent = async (tx: Tx, clock: Clock, event: NewEvent): Promise<string> =>
  (await writeEvents(tx, clock, [event]))[0] as string;

export interface EventRow {
  id: string;
  seq: number;
  type: string;
  aggregate_type: string | null;
  aggregate_id: string | null;
  data: Record<string, unknown>;
  occurred_at: Date;
}

export const toEvent = (r: EventRow): OutboxEvent => ({
  id: r.id,
  seq: r.seq,
  type: r.type,
  aggregateType: r.aggregate_type,
  aggregateId: r.aggregate_id,
  data: r.data,
  occurredAt: r.occurred_at,
});

/** Events about one aggregate in the order they were written (for timelines). */
export const eventsFor = async (
  q: Queryable,
  aggregateType: string,
  aggregateId: string,
  limit = 200,
): Promise<OutboxEvent[]> => {
  const { rows } = await q.query<EventRow>(
    `SELECT id, seq, type, aggregate_type, aggregate_id, data, occurred_at FROM outbox_events
     WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY seq LIMIT $3`,
    [aggregateType, aggregateId, limit],
  );
  return rows.map(toEvent);
};

/** `*` matches everything, `order.*` every type starting with `order.`, anything else itself. */
export const matchesType = (pattern: string, type: string): boolean => {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
};

/** A consumer inside the Plaza process. It runs in its own transaction and must be idempotent. */
export interface Subscriber {
  /** Stable name: recorded with each event it handled so a redelivery is skipped. */
  name: string;
  /** Event type patterns (see matchesType). */
  types: string[];
  /** A cheap look at the event's data: false skips it without a transaction (e.g. not a pickup order). */
  accepts?(event: OutboxEvent): boolean;
  handle(tx: Tx, event: OutboxEvent): Promise<void>;
}

/** Adds events to a write batch (same rows as writeEvents, written when the batch is flushed). */
export const stageEvents = (batch: WriteBatch, clock: Clock, events: readonly NewEvent[]): string[] => {
  const at = clock.now();
  const ids = events.map(() => newId('evt'));
  batch.insert(
    'outbox_events',
    ['id', 'type', 'aggregate_type', 'aggregate_id', 'data', 'occurred_at', 'available_at'],
    events.map((e, i) => [
      ids[i],
      e.type,
      e.aggregateType ?? null,
      e.aggregateId ?? null,
      JSON.stringify(e.data),
      at,
      at,
    ]),
  );
  return ids;
};
