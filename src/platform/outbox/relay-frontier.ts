/**
 * Where a relay may start looking for events it has not yet relayed (the "floor"), without ever
 * skipping one.
 *
 * Relayed events are marked in `consumed_events`, so "not yet relayed" is an anti-join; scanning it from
 * the first event would grow with the outbox. The floor bounds it: every event with `seq <= floor` is
 * relayed, or will never exist. It cannot simply be the highest relayed `seq`: `seq` is taken when a
 * transaction inserts its event, not when it commits, so an event with a lower `seq` can commit (and
 * become visible) after one with a higher `seq` was relayed.
 *
 * The floor moves past a `seq` only when no transaction that could still commit below it is running.
 * Each scan reads, in the same statement (one snapshot), the highest visible `seq` (`top`) and the
 * snapshot's `xmin`/`xmax` (pg_current_snapshot). An event below `top` that the scan could not see was
 * inserted by a transaction that had already taken its `seq`, and so (within `settleMs`, see below)
 * had a transaction id, when `top`'s transaction committed. A later scan whose `xmin` is at least the
 * `xmax` of a snapshot taken `settleMs` after the first one proves that every such transaction has
 * ended: its events are visible to that later scan, or never will be. That scan covers them (they are
 * the lowest `seq`s above the floor), so once it is relayed the floor may rise to `top` (or to what
 * the scan covered, if less).
 *
 * `settleMs` covers the instant between a transaction's taking its `seq` (nextval) and its getting a
 * transaction id (its first row written, in the same INSERT): a transaction whose first write is its
 * event has no id yet at that instant. Five seconds is far beyond it; a larger value only makes the
 * anti-join scan a few more seconds of events.
 */

/** What one scan saw, in one snapshot. */
export interface ScanSnapshot {
  /** pg_snapshot_xmin: every transaction id below it had ended. */
  xmin: bigint;
  /** pg_snapshot_xmax: every transaction id at or above it had not started. */
  xmax: bigint;
  /** The highest visible `seq` (0 when the outbox is empty). */
  top: number;
}

interface Candidate {
  top: number;
  /** When its scan had returned (ms, monotonic): its snapshot was taken before. */
  seenAt: number;
  /** The xmax of a snapshot taken at least settleMs later; once every id below it has ended, `top` is settled. */
  xmax?: bigint;
}

export class RelayFrontier {
  private candidates: Candidate[] = [];

  constructor(
    private current = 0,
    private readonly settleMs = 5_000,
  ) {}

  /** Every event with `seq <= floor` is relayed or will never exist. */
  get floor(): number {
    return this.current;
  }

  /** Takes a floor learned elsewhere (another relay's, stored with the lease): it is as true as ours. */
  raiseTo(floor: number): void {
    if (floor > this.current) {
      this.current = floor;
      this.candidates = this.candidates.filter((c) => c.top > floor);
    }
  }

  /**
   * After a round whose whole batch was published and marked: `covered` is the `seq` through which
   * every event visible to the scan is now relayed (the scan's `top` when the batch was not full, else
   * the batch's last `seq`). `startedAt` is taken before the scan's statement was sent, `endedAt` after
   * it answered. Returns the new floor.
   */
  advance(snap: ScanSnapshot, covered: number, startedAt: number, endedAt: number): number {
    let settled = this.current;
    for (const c of this.candidates) {
      // this scan's snapshot was taken at least settleMs after the candidate's
      if (c.xmax === undefined && startedAt - c.seenAt >= this.settleMs) c.xmax = snap.xmax;
      if (c.xmax !== undefined && snap.xmin >= c.xmax) settled = Math.max(settled, c.top);
    }
    this.raiseTo(Math.min(settled, covered));
    const last = this.candidates.at(-1);
    const fresh = !last || (snap.top > last.top && endedAt - last.seenAt >= this.settleMs / 10);
    if (snap.top > this.current && fresh) this.candidates.push({ top: snap.top, seenAt: endedAt });
    return this.current;
  }
}
