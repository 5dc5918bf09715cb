import type { Db, Queryable } from './db.ts';
import type { Logger } from './log.ts';

interface Subscriber {
  onVersion: (version: number) => void;
  onResync?: () => void;
}

/**
 * Live updates across processes: a change announces `<key>:<version>` with NOTIFY in its own
 * transaction (delivered on commit, to every process); each process keeps one LISTEN connection and
 * fans the notification out to its local subscribers (SSE streams) for that key. When that connection
 * was lost and came back, every subscriber is asked to resync: changes made meanwhile were not heard.
 */
export class LiveHub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Db,
    private readonly channel: string,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten ??= await this.db.listen(
      this.channel,
      (payload) => {
        const i = payload.lastIndexOf(':');
        const key = payload.slice(0, i);
        const version = Number(payload.slice(i + 1));
        for (const sub of this.subscribers.get(key) ?? []) this.safely(key, () => sub.onVersion(version));
      },
      () => this.resync(),
    );
  }

  /** Asks every subscriber to read its key again (notifications may have been missed). */
  resync(): void {
    for (const [key, set] of this.subscribers) {
      for (const sub of set) this.safely(key, () => sub.onResync?.());
    }
  }

  private safely(key: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.warn({ err: e, key }, 'live subscriber failed');
    }
  }

  /**
   * Calls `onVersion` with the new version each time `key` changes (in any process), and `onResync`
   * after the LISTEN connection came back (changes may have been missed: read again). Returns an
   * unsubscribe.
   */
  subscribe(key: string, onVersion: (version: number) => void, onResync?: () => void): () => void {
    let set = this.subscribers.get(key);
    if (!set) {
      set = new Set();
      this.subscribers.set(key, set);
    }
    const sub: Subscriber = { onVersion, onResync };
    set.add(sub);
    return () => {
      set.delete(sub);
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
