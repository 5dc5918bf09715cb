import { describe, expect, it } from 'vitest';
import { TtlCache } from './cache.ts';

const keys = (c: TtlCache<number>, names: string[]) => names.filter((k) => c.peek(k) !== undefined);

describe('TtlCache when full', () => {
  it('keeps a full cache full: 50,000 entries + 1 leaves 50,000, without the oldest', () => {
    const c = new TtlCache<number>(60_000, 50_000);
    for (let i = 0; i < 50_000; i++) c.set(`k${i}`, i);
    expect(c.size).toBe(50_000);
    c.set('one more', -1);
    expect(c.size).toBe(50_000);
    expect(c.peek('k0')).toBeUndefined();
    expect(c.peek('k1')).toBeDefined();
    expect(c.peek('k49999')).toBeDefined();
    expect(c.peek('one more')).toBeDefined();
  });

  it('evicts the least recently used entry: a hit (get or peek) keeps an entry', async () => {
    const c = new TtlCache<number>(60_000, 3);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect(await c.get('a', async () => 99)).toBe(1); // a hit: 'a' is now the most recent
    c.set('d', 4); // evicts 'b'
    expect(keys(c, ['a', 'b', 'c', 'd'])).toEqual(['a', 'c', 'd']);
    void c.peek('c'); // 'c' used: 'a' is now the least recent
    await c.get('e', async () => 5); // a miss that loads evicts 'a'
    expect(keys(c, ['a', 'b', 'c', 'd', 'e'])).toEqual(['c', 'd', 'e']);
    expect(c.size).toBe(3);
  });

  it('replacing a key does not evict another one', () => {
    const c = new TtlCache<number>(60_000, 2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('a', 3);
    expect(keys(c, ['a', 'b'])).toEqual(['a', 'b']);
  });

  it('forgets a failed load, but not a newer entry stored meanwhile', async () => {
    const c = new TtlCache<number>(60_000, 10);
    let rejectLoad: (e: Error) => void = () => undefined;
    const failing = c.get('k', () => new Promise<number>((_, reject) => (rejectLoad = reject)));
    c.set('k', 7);
    rejectLoad(new Error('load failed'));
    await expect(failing).rejects.toThrow('load failed');
    expect(await c.peek('k')).toBe(7);
    await expect(c.get('x', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(c.peek('x')).toBeUndefined();
  });
});
