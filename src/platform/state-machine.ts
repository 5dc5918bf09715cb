import type { WriteBatch } from './batch.ts';
import type { Clock } from './clock.ts';
import type { Queryable } from './db.ts';
import { PlazaError } from './errors.ts';
import { newId } from './ids.ts';

/**
 * A state machine as a transition table: for each state, the states it may move to. One table per
 * machine (order, payment, fulfillment, pickup, return), checked on every change.
 */
export type Transitions<S extends string> = { readonly [K in S]: readonly S[] };

export interface StateMachine<S extends string> {
  name: string;
  states: readonly S[];
  can(from: S, to: S): boolean;
  /** Throws INVALID_STATE_TRANSITION (409) when `from → to` is not in the table. */
  assert(from: S, to: S, what?: string): void;
}

export const stateMachine = <S extends string>(name: string, table: Transitions<S>): StateMachine<S> => {
  const states = Object.keys(table) as S[];
  for (const [from, tos] of Object.entries(table) as [S, readonly S[]][]) {
    for (const to of tos) {
      if (!(to in table)) throw new Error(`${name}: ${from} → ${to} targets an unknown state`);
    }
  }
  const can = (from: S, to: S) => table[from]?.includes(to) ?? false;
  return {
    name,
    states,
    can,
    assert(from, to, what) {
      if (!can(from, to)) {
        throw new PlazaError(
          'INVALID_STATE_TRANSITION',
          `${what ?? name} cannot go from ${from} to ${to}${table[from]?.length ? ` (allowed: ${table[from].join(', ')})` : ' (final state)'}`,
          { machine: name, from, to, allowed: table[from] ?? [] },
        );
      }
    },
  };
};

/** One recorded change of state (the append-only history behind timelines). */
export interface TransitionRecord {
  entityType: string;
  entityId: string;
  from: string | null;
  to: string;
  actor: string;
  reason?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Checks `from → to` against the machine and appends it to `state_transitions` in the caller's
 * transaction. `from = null` records the initial state.
 */
export const recordTransition = async <S extends string>(
  tx: Queryable,
  clock: Clock,
  machine: StateMachine<S>,
  t: TransitionRecord & { from: S | null; to: S },
): Promise<void> => {
  if (t.from !== null && t.from !== t.to) machine.assert(t.from, t.to, `${t.entityType} ${t.entityId}`);
  await tx.query(
    `INSERT INTO state_transitions (id, entity_type, entity_id, machine, from_state, to_state, actor, reason, data, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)`,
    [
      newId('trn'),
      t.entityType,
      t.entityId,
      machine.name,
      t.from,
      t.to,
      t.actor,
      t.reason ?? null,
      JSON.stringify(t.data ?? {}),
      clock.now(),
    ],
  );
};

export interface TransitionRow {
  machine: string;
  from_state: string | null;
  to_state: string;
  actor: string;
  reason: string | null;
  data: Record<string, unknown>;
  at: Date;
}

/** The recorded transitions of an entity, oldest first. */
export const transitionsOf = async (
  q: Queryable,
  entityType: string,
  entityId: string,
): Promise<TransitionRow[]> =>
  (
    await q.query<TransitionRow>(
      `SELECT machine, from_state, to_state, actor, reason, data, at FROM state_transitions
       WHERE entity_type = $1 AND entity_id = $2 ORDER BY at, id`,
      [entityType, entityId],
    )
  ).rows;

/** Like recordTransition, but the history row is written when the batch is flushed. */
export const stageTransitions = <S extends string>(
  batch: WriteBatch,
  clock: Clock,
  machine: StateMachine<S>,
  ts: readonly (TransitionRecord & { from: S | null; to: S })[],
): void => {
  const at = clock.now();
  for (const t of ts)
    if (t.from !== null && t.from !== t.to) machine.assert(t.from, t.to, `${t.entityType} ${t.entityId}`);
  batch.insert(
    'state_transitions',
    ['id', 'entity_type', 'entity_id', 'machine', 'from_state', 'to_state', 'actor', 'reason', 'data', 'at'],
    ts.map((t) => [
      newId('trn'),
      t.entityType,
      t.entityId,
      machine.name,
      t.from,
      t.to,
      t.actor,
      t.reason ?? null,
      JSON.stringify(t.data ?? {}),
      at,
    ]),
  );
};
