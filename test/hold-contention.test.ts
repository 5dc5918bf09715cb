/**
 * Holds under contention never end in a database error: concurrent checkout holds (`reserveMany`,
 * several levels per statement) race with restocks, releases, sales and write-offs on the same few
 * hot rows. Every hold either succeeds or is refused as INSUFFICIENT_STOCK; no statement ever trips
 * the `reserved <= on_hand` check constraint (that was a 500 at checkout), and the levels still
 * equal the ledger afterwards. The race needs real concurrency, so it runs on PostgreSQL only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adjust,
  commitReservation,
  ledgerMismatches,
  releaseReservation,
  reserveMany,
} from '../src/modules/inventory/index.ts';
import { testBackend } from '../src/platform/testing.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { newLocation, newSku, stock } from './support/stock.ts';

const WORKERS = 12;
const ROUNDS = 30;

describe.runIf(testBackend() === 'postgres')('stock holds under contention (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('holds racing restocks, releases, sales and write-offs: 0 database errors', async () => {
    const locs = [await newLocation(t), await newLocation(t)];
    const skus = [newSku('HOT'), newSku('HOT'), newSku('HOT')];
    for (const sku of skus) for (const loc of locs) await stock(t, sku, loc, 3);
    const { db } = t.deps;
    const at = () => t.clock.now();
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
    const held: string[] = [];
    const tally = {
      held: 0,
      short: 0,
      released: 0,
      sold: 0,
      restocked: 0,
      writtenOff: 0,
      errors: [] as string[],
    };

    const hold = async () => {
      const lines = [...new Set([pick(skus), pick(skus)])].map((sku) => ({
        sku,
        location_id: pick(locs),
        quantity: 1 + Math.floor(Math.random() * 2),
      }));
      const r = await db.tx((tx) =>
        reserveMany(tx, {
          reservations: [{ reference: { type: 'test', id: 'race' }, lines, expiresAt: null }],
          actor: 'test',
          at: at(),
        }),
      );
      if (r.ok) {
        tally.held++;
        held.push(...r.value.reservations.map((x) => x.id));
      } else tally.short++;
    };
    const giveBack = async () => {
      const id = held.shift();
      if (!id) return;
      const sell = Math.random() < 0.5;
      await db.tx(async (tx) => {
        const r = sell
          ? await commitReservation(tx, t.deps, id, { actor: 'test' })
          : await releaseReservation(tx, t.deps, id, { reason: 'test', actor: 'test' });
        if (!r.ok) throw new Error(r.detail);
      });
      if (sell) tally.sold++;
      else tally.released++;
    };
    const change = async (delta: number) => {
      const r = await db.tx((tx) =>
        adjust(tx, t.deps, {
          sku: pick(skus),
          location_id: pick(locs),
          delta,
          kind: delta > 0 ? 'receipt' : 'write_off',
          reason: 'race',
          actor: 'test',
        }),
      );
      if (r.ok && delta > 0) tally.restocked++;
      if (r.ok && delta < 0) tally.writtenOff++;
    };
    const restock = () => change(1 + Math.floor(Math.random() * 2));
    const writeOff = () => change(-1);
    const ops = [hold, hold, hold, giveBack, restock, writeOff];
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (let i = 0; i < ROUNDS; i++) {
          let op: () => Promise<void> = hold;
          try {
            op = pick(ops);
            await op();
          } catch (e) {
            tally.errors.push(`${op.name}: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      }),
    );
    console.log('hold contention', {
      ...tally,
      errors: tally.errors.length,
      sample: tally.errors.slice(0, 3),
    });
    expect(tally.errors).toEqual([]);
    expect(tally.held).toBeGreaterThan(20);
    expect(tally.short).toBeGreaterThan(10);
    expect(await ledgerMismatches(db)).toEqual([]);
  }, 60_000);
});
