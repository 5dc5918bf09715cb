import type { Db, Queryable } from './db.ts';
import type { Logger } from './log.ts';

/**
 * Live updates across processes: a change announces `<key>:<version>` with NOTIFY in its own
 * transaction (delivered on commit, to every process); each process keeps one LISTEN connection and
 * fans the notification out to its local subscribers (SSE streams) for that key.
 */
export class LiveHub {
  private readonly subscribers = new Map<string, Set<(version: number) => void>>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Db,
    private readonly channel: string,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten ??= await this.db.listen(this.channel, (payload) => {
      const i = payload.lastIndexOf(':');
      const key = payload.slice(0, i);
      const version = Number(payload.slice(i + 1));
      for (const cb of this.subscribers.get(key) ?? []) {
        try {
          cb(version);
        } catch (e) {
          this.log.warn({ err: e, key }, 'live subscriber failed');
        }
      }
    });
  }

  /** Calls `cb` with the new version each time `key` changes (in any process). Returns an unsubscribe. */
  subscribe(key: string, cb: (version: number) => void): () => void {
    let set = this.subscribers.get(key);
    if (!set) {
      set = new Set();
      this.subscribers.set(key, set);
    }
    set.add(cb);
    return () => {
      set.delete(cb);
      if (set.size === 0) this.subscribers.delete(key);
    };
  }

  get size(): number {
    let n = 0;
    for (const s of this.subscribers.values()) n += s.size;
    return n;
  }

  async stop(): Promise<void> {
    this.subscribers.clear();
    await this.unlisten?.();
    this.unlisten = undefined;
  }
}

/** Announces a new version of `key` to every process, when the caller's transaction commits. */
export const announce = (tx: Queryable, channel: string, key: string, version: number) =>
  tx.query('SELECT pg_notify($1, $2)', [channel, `${key}:${version}`]);
