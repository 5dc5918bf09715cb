import type { Db } from './db.ts';
import type { Logger } from './log.ts';

export interface Job {
  name: string;
  /** Does one bounded unit of work; returns how many items it handled (0 = idle). */
  runOnce(): Promise<number>;
  /** Idle wait between runs. */
  intervalMs: number;
  /** A NOTIFY channel that wakes the job early. */
  wakeOn?: string;
}

/**
 * Runs background jobs (outbox dispatch, webhook sending, sweepers) in loops: busy jobs run again
 * at once, idle jobs sleep until their interval passes or a NOTIFY wakes them. `stop()` waits for
 * the runs in progress to finish.
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
        await this.db.listen(channel, () => {
          for (const j of this.jobs) if (j.wakeOn === channel) this.wake(j.name);
        }),
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
    while (this.running) {
      let handled = 0;
      try {
        handled = await job.runOnce();
        failures = 0;
      } catch (e) {
        failures++;
        if (this.running) this.log.error({ err: e, job: job.name }, 'background job failed');
      }
      if (!this.running) break;
      if (handled > 0 && failures === 0) continue;
      const wait = failures > 0 ? Math.min(job.intervalMs * 2 ** failures, 30_000) : job.intervalMs;
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
    await Promise.all(this.unlisten.splice(0).map((u) => u()));
  }
}
