import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RelayFrontier } from './relay-frontier.ts';

const snap = (xmin: number, xmax: number, top: number) => ({ xmin: BigInt(xmin), xmax: BigInt(xmax), top });

describe('RelayFrontier', () => {
  it('does not pass an event whose transaction commits after a later one was relayed', () => {
    const f = new RelayFrontier(0, 5_000);
    // seq 1 belongs to transaction 10, still running; seq 2 (transaction 11) committed and is relayed
    expect(f.advance(snap(10, 12, 2), 2, 0, 10)).toBe(0);
    // six seconds later transaction 10 still runs: the floor waits
    expect(f.advance(snap(10, 13, 2), 2, 6_000, 6_010)).toBe(0);
    expect(f.advance(snap(10, 14, 2), 2, 7_000, 7_010)).toBe(0);
    // transaction 10 ended: this scan saw seq 1 and relayed it, so the floor passes both
    expect(f.advance(snap(14, 14, 2), 2, 8_000, 8_010)).toBe(2);
  });

  it('waits settleMs before trusting a snapshot (a transaction may not have its id yet)', () => {
    const f = new RelayFrontier(0, 5_000);
    f.advance(snap(20, 20, 5), 5, 0, 10);
    // nothing runs, but too soon: the transaction that took seq 4 may not have had an id at the first scan
    expect(f.advance(snap(20, 20, 5), 5, 1_000, 1_010)).toBe(0);
    expect(f.advance(snap(21, 21, 5), 5, 5_010, 5_020)).toBe(5);
  });

  it('never goes past what the scan covered (a full batch) nor moves back', () => {
    const f = new RelayFrontier(0, 5_000);
    f.advance(snap(30, 30, 1_000), 100, 0, 10);
    expect(f.advance(snap(30, 30, 1_000), 200, 6_000, 6_010)).toBe(200);
    expect(f.advance(snap(31, 31, 1_000), 300, 6_100, 6_110)).toBe(300);
    f.raiseTo(250);
    expect(f.floor).toBe(300);
    f.raiseTo(400);
    expect(f.floor).toBe(400);
  });

  it('over random histories, the floor never passes a seq whose transaction had not ended when it rose', () => {
    // Model: transactions take increasing ids and each takes one seq in id order at its start; they
    // commit in any order. Each round the scan sees what committed and relays all of it.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(6), fc.nat(3)), { minLength: 1, maxLength: 60 }), (steps) => {
        const f = new RelayFrontier(0, 5);
        const running = new Map<number, number>(); // xid -> seq
        let nextXid = 1;
        let nextSeq = 1;
        let now = 0;
        const committed = new Set<number>();
        for (const [start, finish] of steps) {
          for (let i = 0; i < start % 3; i++) running.set(nextXid++, nextSeq++);
          for (const [xid, seq] of [...running].slice(0, finish)) {
            running.delete(xid);
            committed.add(seq);
          }
          const xmin = running.size ? Math.min(...running.keys()) : nextXid;
          const top = committed.size ? Math.max(...committed) : 0;
          now += 2;
          const floor = f.advance(snap(xmin, nextXid, top), top, now, now + 1);
          for (const seq of running.values()) expect(seq).toBeGreaterThan(floor);
        }
      }),
      { numRuns: 300 },
    );
  });
});
