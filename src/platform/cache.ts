/**
 * A small per-process cache for configuration that is read on every request and changes rarely
 * (channel settings, a channel's fulfilment locations). Entries live `ttlMs`: a change made by
 * another process is seen within that time; the process that makes a change invalidates at once.
 * Concurrent misses for one key share one load. When full, the least recently used entries make
 * room for a new one (never the whole cache at once: a full cache keeps `maxEntries` entries).
 */
export class TtlCache<V> {
  /** In recency order: the first entry is the least recently used (a hit moves its entry last). */
  private readonly entries = new Map<string, { value: Promise<V>; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.fresh(key, now);
    if (hit) return hit;
    const value = load();
    const entry = this.store(key, value, now);
    // a failed load is forgotten (unless a newer entry took its place meanwhile)
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** Stores a value loaded elsewhere (e.g. many keys at once). */
  set(key: string, value: V): void {
    this.store(key, Promise.resolve(value), Date.now());
  }

  /** The cached value if it is still fresh, without loading. */
  peek(key: string): Promise<V> | undefined {
    return this.fresh(key, Date.now());
  }

  /** Number of entries held (fresh or not yet evicted). */
  get size(): number {
    return this.entries.size;
  }

  private fresh(key: string, now: number): Promise<V> | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    // most recently used: move to the end of the map's (insertion) order
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  private store(key: string, value: Promise<V>, now: number): { value: Promise<V>; until: number } {
    this.entries.delete(key);
    // evict the least recently used entries (the map's first keys) until there is room for one
    for (const oldest of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(oldest);
    }
    const entry = { value, until: now + this.ttlMs };
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * For a read inside a transaction: a fresh cached value (committed data) may be used, but what the
   * transaction reads is never cached (it may see its own uncommitted changes).
   */
  getInTx(inTx: boolean, key: string, load: () => Promise<V>): Promise<V> {
    return inTx ? (this.peek(key) ?? load()) : this.get(key, load);
  }

  invalidate(key?: string): void {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}

/** True for an open transaction: caches are bypassed there (it may hold changes not yet committed). */
export const inTransaction = (q: object): boolean => 'inTransaction' in q;

/** NOTIFY channel on which every process hears which cache entries to forget. */
export const INVALIDATION_CHANNEL = 'plaza_invalidate';

const registry = new Map<string, TtlCache<unknown>>();

/**
 * Makes a cache known by name, so `announceInvalidation` in any process (sent on commit) makes every
 * process forget the entry at once. The TTL stays as a fallback if a notification is ever missed.
 */
export const registerCache = <V>(name: string, cache: TtlCache<V>): TtlCache<V> => {
  registry.set(name, cache as TtlCache<unknown>);
  return cache;
};

/** Forgets `key` (`*`: everything) in the named cache of this process now, and of every process when `q` commits. */
export const announceInvalidation = async (
  q: { query(sql: string, params?: readonly unknown[]): Promise<unknown> },
  name: string,
  key: string,
): Promise<void> => {
  registry.get(name)?.invalidate(key === '*' ? undefined : key);
  await q.query('SELECT pg_notify($1, $2)', [INVALIDATION_CHANNEL, `${name}|${key}`]);
};

/** Applies an invalidation received from another process (or this one, after commit). */
export const applyInvalidation = (payload: string): void => {
  const i = payload.indexOf('|');
  if (i < 0) return;
  const key = payload.slice(i + 1);
  registry.get(payload.slice(0, i))?.invalidate(key === '*' ? undefined : key);
};

/** Forgets everything in the named cache of this process (no-op for an unknown name). */
export const invalidateLocal = (name: string): void => registry.get(name)?.invalidate();

/**
 * Forgets every registered cache of this process: after the LISTEN connection was lost, invalidations
 * may have been missed, so nothing cached before can be trusted.
 */
export const invalidateAllLocal = (): void => {
  for (const cache of registry.values()) cache.invalidate();
};
