/** Write keys: resolution, rotation with a grace period, revocation seen at once by every process. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { seedChannels } from '../../flows/demo/channels.ts';
import { INVALIDATION_CHANNEL } from '../../platform/cache.ts';
import { HOUR } from '../../platform/clock.ts';
import {
  archiveSource,
  createSource,
  createWriteKey,
  ensureChannelWriteKey,
  revokeWriteKey,
  rotateWriteKey,
  WRITE_KEY_PATTERN,
  writeKeyResolver,
} from './sources.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Polls until `check` holds or 2 s pass (no fixed sleeps). */
const eventually = async (check: () => Promise<boolean>): Promise<boolean> => {
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
};

describe('writeKeyResolver', () => {
  it('resolves a live key to its source and refuses malformed, unknown and archived ones', async () => {
    const resolve = writeKeyResolver(t.deps);
    const ch = await t.channel('web');
    const { source, key } = await t.deps.db.tx(async (tx) => {
      const source = await createSource(tx, t.deps, {
        name: 'Resolver web',
        kind: 'web',
        channelId: ch.id,
        retentionMonths: 12,
      });
      return { source, key: await createWriteKey(tx, t.deps, source.id) };
    });
    expect(key.key).toMatch(WRITE_KEY_PATTERN);
    expect(await resolve(key.key)).toEqual({
      keyId: key.id,
      sourceId: source.id,
      sourceName: 'Resolver web',
      kind: 'web',
      channelId: ch.id,
      retentionMonths: 12,
    });
    expect(await resolve('wk_short')).toBeNull();
    expect(await resolve(`wk_${'x'.repeat(32)}`)).toBeNull();
    expect(await resolve(ch.key)).toBeNull();

    await t.deps.db.tx((tx) => archiveSource(tx, t.deps, source.id));
    expect(await resolve(key.key)).toBeNull();
  });

  it('keeps a rotated key working for its grace period only', async () => {
    const resolve = writeKeyResolver(t.deps);
    const { source, key } = await t.deps.db.tx(async (tx) => {
      const source = await createSource(tx, t.deps, { name: 'Resolver server', kind: 'server' });
      return { source, key: await createWriteKey(tx, t.deps, source.id) };
    });
    expect((await resolve(key.key))?.sourceId).toBe(source.id);
    const rotated = await t.deps.db.tx((tx) => rotateWriteKey(tx, t.deps, source.id, key.id, 2));
    expect(rotated.previous.expires_at?.getTime()).toBe(t.clock.now().getTime() + 2 * HOUR);
    expect((await resolve(rotated.key.key))?.keyId).toBe(rotated.key.id);
    expect((await resolve(key.key))?.keyId).toBe(key.id);
    t.clock.advance(2 * HOUR);
    expect(await resolve(key.key)).toBeNull();
    expect((await resolve(rotated.key.key))?.keyId).toBe(rotated.key.id);
  });

  it('forgets a key revoked by another process at once (NOTIFY), and by this one synchronously', async () => {
    const resolve = writeKeyResolver(t.deps);
    const { source, a, b } = await t.deps.db.tx(async (tx) => {
      const source = await createSource(tx, t.deps, { name: 'Resolver app', kind: 'app' });
      return {
        source,
        a: await createWriteKey(tx, t.deps, source.id),
        b: await createWriteKey(tx, t.deps, source.id),
      };
    });
    // both cached in this process
    expect(await resolve(a.key)).not.toBeNull();
    expect(await resolve(b.key)).not.toBeNull();

    // Another process revokes `a`: the row changes and the invalidation arrives through NOTIFY only.
    await t.deps.db.tx(async (tx) => {
      await tx.query('UPDATE event_write_keys SET revoked_at = now() WHERE id = $1', [a.id]);
      await tx.query('SELECT pg_notify($1, $2)', [INVALIDATION_CHANNEL, `event_write_keys|${a.key}`]);
    });
    expect(await eventually(async () => (await resolve(a.key)) === null)).toBe(true);

    // This process revokes `b`: refused on the very next call.
    await t.deps.db.tx((tx) => revokeWriteKey(tx, t.deps, source.id, b.id));
    expect(await resolve(b.key)).toBeNull();
  });

  it('ensureChannelWriteKey creates the source and key of a channel once', async () => {
    const ch = await t.channel('pos', 'Resolver POS');
    const first = await t.deps.db.tx((tx) =>
      ensureChannelWriteKey(tx, t.deps, { id: ch.id, name: 'Resolver POS' }, 'pos'),
    );
    const again = await t.deps.db.tx((tx) =>
      ensureChannelWriteKey(tx, t.deps, { id: ch.id, name: 'Resolver POS' }, 'pos'),
    );
    expect(again.key).toBe(first.key);
    expect((await writeKeyResolver(t.deps)(first.key))?.kind).toBe('pos');
  });

  it('the demo seed gives every demo channel a source of its kind with a write key', async () => {
    const channels = await t.deps.db.tx((tx) => seedChannels(tx, t.deps));
    const resolve = writeKeyResolver(t.deps);
    for (const c of channels) {
      expect(await resolve(c.writeKey), c.name).toMatchObject({ kind: c.type, channelId: c.id });
    }
  });
});
