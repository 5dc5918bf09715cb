import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './clock.ts';
import { claimKey, completeKey } from './idempotency.ts';
import { deleteOldIdempotencyKeys, IDEMPOTENCY_RETENTION_MS } from './retention.ts';
import { createTestDb, type TestDb } from './testing.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.drop());

describe('idempotency records are kept 24 hours', () => {
  it('deletes completed and abandoned records older than the retention, and nothing younger', async () => {
    const clock = new TestClock();
    await claimKey(t.db, clock, { scope: 'checkout:cart_a', key: 'old-done', hash: 'h' });
    await completeKey(t.db, clock, 'checkout:cart_a', 'old-done', 201, { order: { email: 'a@example.com' } });
    await claimKey(t.db, clock, { scope: 'checkout:cart_b', key: 'old-dead', hash: 'h', leaseMs: 1000 });
    clock.advance(IDEMPOTENCY_RETENTION_MS + 60_000);
    await claimKey(t.db, clock, { scope: 'checkout:cart_c', key: 'young', hash: 'h' });
    await completeKey(t.db, clock, 'checkout:cart_c', 'young', 201, {});
    expect(await deleteOldIdempotencyKeys(t.db, clock.now())).toBe(2);
    const left = await t.db.query<{ key: string }>('SELECT key FROM idempotency_keys ORDER BY key');
    expect(left.rows.map((r) => r.key)).toEqual(['young']);
  });
});
