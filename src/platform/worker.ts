import { type Db, isDatabaseUnavailable } from './db.ts';
import type { Logger } from './log.ts';

export interface Job {
  name: string;
  /** Does one bounded unit of work; returns how many items it handled (0 = idle). */
  runOnce(): Promise<number>;
  /** Idle wait between runs. */
  intervalMs: number;
  /** A NOTIFY channel that wakes the job early. */
  wakeOn?: string;
  /** Releases what the job holds (connections, leases) once its loop has ended. */
  stop?(): Promise<void>;
}

/** Longest wait after failures; while the database is away, at most this between attempts. */
const MAX_BACKOFF_MS = 30_000;
const UNAVAILABLE_BACKOFF_MS = 2_000;

/**
 * Runs background jobs (outbox dispatch, webhook sending, sweepers) in loops: busy jobs run again
 * at once, idle jobs sleep until their interval passes or a NOTIFY wakes them. A failing job backs off
 * and tries again; a database outage is routine (retried every 2 s at most, and every job is woken
 * when the LISTEN connection comes back). `stop()` waits for the runs in progress to finish.
 */
export class Worker {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Map<string, () => void>();
  private readonly unlisten: (() => Promise<void>)[] = [];

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly jobs: Job[],
  ) {}

  async start(): Promise<void> {
    this.running = true;
    for (const channel of new Set(this.jobs.flatMap((j) => (j.wakeOn ? [j.wakeOn] : [])))) {
      this.unlisten.push(
        await this.db.listen(
          channel,
          () => {
            for (const j of this.jobs) if (j.wakeOn === channel) this.wake(j.name);
          },
          // Back from a lost connection: the database is up again, and wake-ups may have been missed.
          () => {
            for (const j of this.jobs) this.wake(j.name);
          },
        ),
      );
    }
    for (const job of this.jobs) this.loops.push(this.loop(job));
  }

  /** Runs a job now instead of at its next interval. */
  wake(name: string): void {
    this.wakers.get(name)?.();
  }

  private async loop(job: Job): Promise<void> {
    let failures = 0;
    let unavailable = false;
    while (this.running) {
      let handled = 0;
      try {
        handled = await job.runOnce();
        if (unavailable) this.log.info({ job: job.name }, 'background job runs again: the database is back');
        failures = 0;
        unavailable = false;
      } catch (e) {
        failures++;
        const down = isDatabaseUnavailable(e);
        // An outage is logged once per job, not at every attempt.
        if (this.running && !(down && unavailable)) {
          if (down)
            this.log.warn({ err: e, job: job.name }, 'background job paused: the database is not available');
          else this.log.error({ err: e, job: job.name }, 'background job failed');
        }
        unavailable = down;
      }
      if (!this.running) break;
      if (handled > 0 && failures === 0) continue;
      const cap = unavailable ? UNAVAILABLE_BACKOFF_MS : MAX_BACKOFF_MS;
      const wait = failures > 0 ? Math.min(job.intervalMs * 2 ** failures, cap) : job.intervalMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakers.set(job.name, done);
      });
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.wakers.values()) wake();
    await Promise.all(this.loops.splice(0));
    await Promise.all(this.jobs.map((j) => j.stop?.()));
    await Promise.all(this.unlisten.splice(0).map((u) => u()));
  }
}
