/**
 * A small per-process cache for configuration that is read on every request and changes rarely
 * (channel settings, a channel's fulfilment locations). Entries live `ttlMs`: a change made by
 * another process is seen within that time; the process that makes a change invalidates at once.
 * Concurrent misses for one key share one load.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    this.entries.set(key, { value, until: now + this.ttlMs });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** Stores a value loaded elsewhere (e.g. many keys at once). */
  set(key: string, value: V): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value: Promise.resolve(value), until: Date.now() + this.ttlMs });
  }

  /** The cached value if it is still fresh, without loading. */
  peek(key: string): Promise<V> | undefined {
    const hit = this.entries.get(key);
    return hit && hit.until > Date.now() ? hit.value : undefined;
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
