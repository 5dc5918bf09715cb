/**
 * Group commit for the tracking API (docs/events.md, "A 200 means stored"): the messages of many
 * concurrent requests wait at most `flushMs` and are written together by ONE insertEvents statement;
 * each request's `write` resolves only once that statement has committed, so nothing acknowledged
 * lives only in memory. More than `maxPending` messages waiting: `write` refuses at once with
 * EVENTS_BACKPRESSURE (503 + Retry-After, the SDKs retry) instead of buffering without bound.
 */
import type { Db } from '../../platform/db.ts';
import { isDatabaseUnavailable, pgCode } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/log.ts';
import { type EventInput, insertEvents } from './store.ts';

interface Waiting {
  rows: readonly EventInput[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface EventWriterOptions {
  flushMs: number;
  maxPending: number;
  /** Most rows per statement (a larger group is split). */
  maxRows?: number;
  /** Statements in flight at once (each holds one pool connection). */
  concurrency?: number;
}

/** Deadlock (40P01) and serialization failure (40001): the statement is sound, running it again works. */
const TRANSIENT_CODES = new Set(['40P01', '40001']);
/** Times a group hit by a transient error is run again before it fails. */
const TRANSIENT_RETRIES = 2;

/** Seconds a refused client is asked to wait (Retry-After). */
export const BACKPRESSURE_RETRY_SECONDS = 1;

export class EventWriter {
  private queue: Waiting[] = [];
  private queued = 0;
  /** Messages accepted by `write` and not yet committed (queued + in flight). */
  private pending = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly idle: (() => void)[] = [];
  private readonly maxRows: number;
  private readonly concurrency: number;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly opts: EventWriterOptions,
  ) {
    this.maxRows = opts.maxRows ?? 5000;
    this.concurrency = opts.concurrency ?? 2;
  }

  /** Messages accepted and not yet committed. */
  get waiting(): number {
    return this.pending;
  }

  /** Resolves when every row is committed (or was a duplicate of a stored message). */
  write(rows: readonly EventInput[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    if (this.closed) {
      return Promise.reject(
        new PlazaError('SERVICE_UNAVAILABLE', 'This process is shutting down', {
          retry_after_seconds: BACKPRESSURE_RETRY_SECONDS,
        }),
      );
    }
    if (this.pending + rows.length > this.opts.maxPending) {
      return Promise.reject(
        new PlazaError('EVENTS_BACKPRESSURE', 'Too many events are waiting to be stored; retry shortly', {
          retry_after_seconds: BACKPRESSURE_RETRY_SECONDS,
        }),
      );
    }
    this.pending += rows.length;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.queued += rows.length;
      this.schedule();
    });
  }

  /** Writes what waits and resolves when nothing is in flight; later writes are refused. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.drain();
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.queued >= this.maxRows) {
      this.drain();
      return;
    }
    if (this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, this.opts.flushMs);
    this.timer.unref?.();
  }

  /** Starts statements while there is work and a free slot; what stays waits for a finishing one. */
  private drain(): void {
    while (this.queue.length > 0 && this.inFlight < this.concurrency) {
      const group: Waiting[] = [];
      let n = 0;
      while (this.queue.length > 0 && (n === 0 || n + (this.queue[0]?.rows.length ?? 0) <= this.maxRows)) {
        const w = this.queue.shift() as Waiting;
        group.push(w);
        n += w.rows.length;
      }
      this.queued -= n;
      this.inFlight++;
      void this.commit(group, n).finally(() => {
        this.inFlight--;
        this.pending -= n;
        if (this.queue.length > 0) this.drain();
        if (this.pending === 0) for (const f of this.idle.splice(0)) f();
      });
    }
  }

  /** One insertEvents statement, run again (at most TRANSIENT_RETRIES times) on a deadlock or serialization failure. */
  private async insert(rows: readonly EventInput[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await insertEvents(this.db, rows);
        return;
      } catch (e) {
        const code = pgCode(e);
        if (attempt >= TRANSIENT_RETRIES || code === undefined || !TRANSIENT_CODES.has(code)) throw e;
        this.log.warn({ code, rows: rows.length, attempt: attempt + 1 }, 'event group commit retried');
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
  }

  private async commit(group: Waiting[], n: number): Promise<void> {
    const rows = group.length === 1 ? (group[0] as Waiting).rows : group.flatMap((w) => w.rows);
    try {
      await this.insert(rows);
      for (const w of group) w.resolve();
    } catch (e) {
      // The database is away: every request of the group hears it (503). Any other error came from
      // one request's rows: each request is retried alone so one bad message cannot sink the others.
      if (group.length === 1 || isDatabaseUnavailable(e)) {
        for (const w of group) w.reject(e);
        return;
      }
      this.log.warn({ err: e, rows: n }, 'event group commit failed; retrying request by request');
      for (const w of group) {
        try {
          await this.insert(w.rows);
          w.resolve();
        } catch (e2) {
          w.reject(e2);
        }
      }
    }
  }
}
