/** Rows of journeys, journey_versions and journey_enrollments. */
import type { Queryable, Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Definition, ExitOn, Step, Trigger } from './schema.ts';

export type JourneyStatus = 'draft' | 'active' | 'paused' | 'archived';
export type EnrollmentState = 'active' | 'completed' | 'exited' | 'converted' | 'failed';

export interface JourneyRow {
  id: string;
  name: string;
  status: JourneyStatus;
  kind: 'marketing' | 'transactional';
  template: string | null;
  current_version: number | null;
  draft: Definition | null;
  created_at: Date;
  updated_at: Date;
}

export interface VersionRow {
  journey_id: string;
  version: number;
  trigger: Trigger;
  steps: Step[];
  exit_on: ExitOn | null;
  published_at: Date;
}

export interface EnrollmentRow {
  id: string;
  journey_id: string;
  version: number;
  customer_id: string;
  trigger_key: string;
  context: Record<string, unknown>;
  state: EnrollmentState;
  step_index: number;
  wake_at: Date | null;
  lease_until: Date | null;
  exit_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const J = 'id, name, status, kind, template, current_version, draft, created_at, updated_at';
const E = `id, journey_id, version, customer_id, trigger_key, context, state, step_index, wake_at, lease_until,
  exit_reason, created_at, updated_at`;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const journeyToApi = (r: JourneyRow) => ({
  id: r.id,
  name: r.name,
  status: r.status,
  kind: r.kind,
  template: r.template,
  current_version: r.current_version,
  draft: r.draft,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export const versionToApi = (v: VersionRow) => ({
  version: v.version,
  trigger: v.trigger,
  steps: v.steps,
  exit_on: v.exit_on,
  published_at: v.published_at.toISOString(),
});

export const enrollmentToApi = (e: EnrollmentRow) => ({
  id: e.id,
  version: e.version,
  customer_id: e.customer_id,
  trigger_key: e.trigger_key,
  state: e.state,
  step_index: e.step_index,
  wake_at: iso(e.wake_at),
  exit_reason: e.exit_reason,
  created_at: e.created_at.toISOString(),
  updated_at: e.updated_at.toISOString(),
});

export const getJourney = async (q: Queryable, id: string, lock = false): Promise<JourneyRow | undefined> =>
  (await q.query<JourneyRow>(`SELECT ${J} FROM journeys WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]))
    .rows[0];

export const listJourneys = async (
  q: Queryable,
  opts: { status?: string; after?: string; limit: number },
): Promise<JourneyRow[]> =>
  (
    await q.query<JourneyRow>(
      `SELECT ${J} FROM journeys WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR id > $2)
       ORDER BY id LIMIT $3`,
      [opts.status ?? null, opts.after ?? null, opts.limit],
    )
  ).rows;

export const insertJourney = async (
  tx: Tx,
  r: Pick<JourneyRow, 'name' | 'kind' | 'template' | 'draft'>,
  now: Date,
): Promise<JourneyRow> =>
  (
    await tx.query<JourneyRow>(
      `INSERT INTO journeys (id, name, status, kind, template, current_version, draft, created_at, updated_at)
       VALUES ($1, $2, 'draft', $3, $4, NULL, $5::jsonb, $6, $6) RETURNING ${J}`,
      [newId('jrn'), r.name, r.kind, r.template, JSON.stringify(r.draft), now],
    )
  ).rows[0] as JourneyRow;

export const updateJourney = async (
  tx: Tx,
  id: string,
  patch: Partial<Pick<JourneyRow, 'name' | 'kind' | 'draft' | 'status' | 'current_version'>>,
  now: Date,
): Promise<JourneyRow> =>
  (
    await tx.query<JourneyRow>(
      `UPDATE journeys SET name = coalesce($2, name), kind = coalesce($3, kind),
         draft = CASE WHEN $4::jsonb IS NULL THEN draft ELSE $4::jsonb END,
         status = coalesce($5, status), current_version = coalesce($6, current_version), updated_at = $7
       WHERE id = $1 RETURNING ${J}`,
      [
        id,
        patch.name ?? null,
        patch.kind ?? null,
        patch.draft ? JSON.stringify(patch.draft) : null,
        patch.status ?? null,
        patch.current_version ?? null,
        now,
      ],
    )
  ).rows[0] as JourneyRow;

export const versionsOf = async (q: Queryable, journeyId: string): Promise<VersionRow[]> =>
  (
    await q.query<VersionRow>(
      'SELECT journey_id, version, trigger, steps, exit_on, published_at FROM journey_versions WHERE journey_id = $1 ORDER BY version DESC',
      [journeyId],
    )
  ).rows;

export const insertVersion = async (tx: Tx, journeyId: string, d: Definition, now: Date): Promise<number> =>
  Number(
    (
      await tx.query<{ version: number }>(
        `INSERT INTO journey_versions (journey_id, version, trigger, steps, exit_on, published_at)
         SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb, $3::jsonb, $4::jsonb, $5
         FROM journey_versions WHERE journey_id = $1 RETURNING version`,
        [journeyId, JSON.stringify(d.trigger), JSON.stringify(d.steps), JSON.stringify(d.exit_on), now],
      )
    ).rows[0]?.version,
  );

/** Versions never change once published: cached per process. */
const versionCache = new Map<string, VersionRow>();
export const getVersion = async (q: Queryable, journeyId: string, version: number): Promise<VersionRow> => {
  const k = `${journeyId}:${version}`;
  const hit = versionCache.get(k);
  if (hit) return hit;
  const row = (
    await q.query<VersionRow>(
      'SELECT journey_id, version, trigger, steps, exit_on, published_at FROM journey_versions WHERE journey_id = $1 AND version = $2',
      [journeyId, version],
    )
  ).rows[0];
  if (!row) throw new Error(`journey version ${k} is missing`);
  if (versionCache.size > 1000) versionCache.clear();
  versionCache.set(k, row);
  return row;
};

/** The published version new entries get, of every active journey whose trigger is of this type. */
export const activeTriggers = async <T extends Trigger['type']>(
  q: Queryable,
  type: T,
): Promise<(VersionRow & { trigger: Extract<Trigger, { type: T }> })[]> =>
  (
    await q.query<VersionRow & { trigger: Extract<Trigger, { type: T }> }>(
      `SELECT v.journey_id, v.version, v.trigger, v.steps, v.exit_on, v.published_at
       FROM journeys j JOIN journey_versions v ON v.journey_id = j.id AND v.version = j.current_version
       WHERE j.status = 'active' AND v.trigger->>'type' = $1 ORDER BY j.id`,
      [type],
    )
  ).rows;

export interface NewEnrollment {
  journeyId: string;
  version: number;
  customerId: string;
  triggerKey: string;
  context: Record<string, unknown>;
}

/**
 * Enters customers into journeys: once per (journey, customer, trigger key), and never while the
 * customer has an active run of the same journey. Erased and merged customers never enter.
 * Returns how many entered.
 */
export const enroll = async (q: Queryable, input: readonly NewEnrollment[], now: Date): Promise<number> => {
  const seen = new Set<string>();
  const rows = input.filter((r) => {
    const k = `${r.journeyId}\u0000${r.customerId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (rows.length === 0) return 0;
  const r = await q.query(
    `INSERT INTO journey_enrollments (id, journey_id, version, customer_id, trigger_key, context, state,
       step_index, wake_at, created_at, updated_at)
     SELECT x.id, x.journey_id, x.version, x.customer_id, x.trigger_key, x.context, 'active', 0, $7, $7, $7
     FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::jsonb[])
       AS x(id, journey_id, version, customer_id, trigger_key, context)
     JOIN customers c ON c.id = x.customer_id AND c.status = 'active'
     WHERE NOT EXISTS (SELECT 1 FROM journey_enrollments a
                       WHERE a.journey_id = x.journey_id AND a.customer_id = x.customer_id AND a.state = 'active')
     ORDER BY x.journey_id, x.customer_id
     ON CONFLICT (journey_id, customer_id, trigger_key) DO NOTHING`,
    [
      rows.map(() => newId('jen')),
      rows.map((r) => r.journeyId),
      rows.map((r) => r.version),
      rows.map((r) => r.customerId),
      rows.map((r) => r.triggerKey),
      rows.map((r) => JSON.stringify(r.context)),
      now,
    ],
  );
  return r.rowCount ?? 0;
};

export const enrollmentCounts = async (q: Queryable, journeyId: string): Promise<Record<string, number>> => {
  const { rows } = await q.query<{ state: string; n: string }>(
    'SELECT state, count(*) AS n FROM journey_enrollments WHERE journey_id = $1 GROUP BY state',
    [journeyId],
  );
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
};

export const enrollmentsPage = async (
  q: Queryable,
  journeyId: string,
  opts: { state?: string; after?: string; limit: number },
): Promise<EnrollmentRow[]> =>
  (
    await q.query<EnrollmentRow>(
      `SELECT ${E} FROM journey_enrollments WHERE journey_id = $1 AND ($2::text IS NULL OR state = $2)
         AND ($3::text IS NULL OR id > $3) ORDER BY id LIMIT $4`,
      [journeyId, opts.state ?? null, opts.after ?? null, opts.limit],
    )
  ).rows;

/** Claims due active runs of journeys that are not paused, with a lease (SKIP LOCKED: workers share them). */
export const claimDue = async (q: Queryable, now: Date, leaseMs: number, limit: number): Promise<string[]> =>
  (
    await q.query<{ id: string }>(
      `WITH due AS (
         SELECT e.id FROM journey_enrollments e JOIN journeys j ON j.id = e.journey_id
         WHERE e.state = 'active' AND e.wake_at <= $1 AND (e.lease_until IS NULL OR e.lease_until <= $1)
           AND j.status = 'active'
         ORDER BY e.wake_at LIMIT $3 FOR UPDATE OF e SKIP LOCKED)
       UPDATE journey_enrollments e SET lease_until = $2 FROM due WHERE e.id = due.id RETURNING e.id`,
      [now, new Date(now.getTime() + leaseMs), limit],
    )
  ).rows.map((r) => r.id);

export const lockEnrollment = async (tx: Tx, id: string): Promise<EnrollmentRow | undefined> =>
  (await tx.query<EnrollmentRow>(`SELECT ${E} FROM journey_enrollments WHERE id = $1 FOR UPDATE`, [id]))
    .rows[0];

export const saveEnrollment = async (
  tx: Tx,
  e: Pick<EnrollmentRow, 'id' | 'state' | 'step_index' | 'wake_at' | 'exit_reason' | 'context'>,
  now: Date,
): Promise<void> => {
  await tx.query(
    `UPDATE journey_enrollments SET state = $2, step_index = $3, wake_at = $4, exit_reason = $5,
       context = $6::jsonb, lease_until = NULL, updated_at = $7 WHERE id = $1`,
    [
      e.id,
      e.state,
      e.step_index,
      e.state === 'active' ? e.wake_at : null,
      e.exit_reason,
      JSON.stringify(e.context),
      now,
    ],
  );
};

/** Ends the active runs of a journey (archived). */
export const exitAll = async (tx: Tx, journeyId: string, reason: string, now: Date): Promise<number> =>
  (
    await tx.query(
      `UPDATE journey_enrollments SET state = 'exited', exit_reason = $2, wake_at = NULL, lease_until = NULL,
         updated_at = $3 WHERE journey_id = $1 AND state = 'active'`,
      [journeyId, reason, now],
    )
  ).rowCount ?? 0;
