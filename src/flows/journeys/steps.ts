/**
 * The journey engine: runs an entry's steps from where it stands until a wait (or the end), on the
 * version it entered with. A send step writes a ledger row (enqueueSends, keyed
 * `<entry id>:<step key>`) that the sender delivers under consent, cap and quiet hours; the row's
 * key makes a step send once even when a run is repeated after a crash.
 */
import { DateTime } from 'luxon';
import { enqueueSends, type Medium } from '../../modules/messaging/index.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { upsertTraits } from '../customer-data/index.ts';
import { markAudienceDirty } from '../segments/index.ts';
import type { EnrollmentRow, JourneyRow, VersionRow } from './repo.ts';
import type { Condition, ExitOn, SendStep, Step } from './schema.ts';
import { availableAt, checkCart } from './stock-watch.ts';

/** Steps one run may take without waiting (a guard against branch loops). */
const MAX_STEPS_PER_RUN = 100;

type Run = Pick<EnrollmentRow, 'id' | 'state' | 'step_index' | 'wake_at' | 'exit_reason' | 'context'>;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** Has the customer converted (exit_on) since the entry began? Reads the event store. */
export const convertedSince = async (q: Queryable, e: EnrollmentRow, exitOn: ExitOn): Promise<boolean> => {
  const orderId = exitOn.same_order ? str(e.context.order_id) : null;
  if (exitOn.same_order && !orderId) return false;
  const { rows } = await q.query(
    `SELECT 1 FROM events WHERE customer_id = $1 AND event = $2 AND "timestamp" >= $3
       AND ($4::text IS NULL OR properties->>'order_id' = $4) LIMIT 1`,
    [e.customer_id, exitOn.event, e.created_at, orderId],
  );
  return rows.length > 0;
};

const traitValue = async (q: Queryable, customerId: string, key: string): Promise<unknown> => {
  if (key === 'birthday') {
    const r = await q.query<{ b: string | null }>(
      "SELECT to_char(birthday, 'YYYY-MM-DD') AS b FROM customers WHERE id = $1",
      [customerId],
    );
    return r.rows[0]?.b ?? undefined;
  }
  const r = await q.query<{ value: unknown }>(
    'SELECT value FROM customer_traits WHERE customer_id = $1 AND key = $2',
    [customerId, key],
  );
  return r.rows[0]?.value;
};

/** A branch condition, evaluated now. */
export const evaluate = async (q: Queryable, e: EnrollmentRow, c: Condition, now: Date): Promise<boolean> => {
  if ('trait' in c) {
    const v = await traitValue(q, e.customer_id, c.trait.key);
    if (c.trait.equals === undefined) return v !== undefined && v !== null && v !== false && v !== '';
    // compared as text: a trait stored as "true" or true, 3 or "3", matches either spelling
    return v !== undefined && v !== null && String(v) === String(c.trait.equals);
  }
  if ('event_count' in c) {
    const { event, min, within_days } = c.event_count;
    const since = within_days ? new Date(now.getTime() - within_days * 86_400_000) : new Date(0);
    const { rows } = await q.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE customer_id = $1 AND event = $2 AND "timestamp" >= $3
         LIMIT $4) x`,
      [e.customer_id, event, since, min],
    );
    return Number(rows[0]?.n ?? 0) >= min;
  }
  const { rows } = await q.query('SELECT 1 FROM segment_members WHERE segment_id = $1 AND customer_id = $2', [
    c.segment.segment_id,
    e.customer_id,
  ]);
  return rows.length > 0;
};

/** The customer's time zone: the `timezone` trait when valid, else their preferred store's, else UTC. */
export const timezoneOf = async (q: Queryable, customerId: string): Promise<string> => {
  const { rows } = await q.query<{ trait: unknown; store: string | null }>(
    `SELECT (SELECT value FROM customer_traits WHERE customer_id = c.id AND key = 'timezone') AS trait,
       l.timezone AS store
     FROM customers c LEFT JOIN locations l ON l.id = c.preferred_location_id WHERE c.id = $1`,
    [customerId],
  );
  const r = rows[0];
  for (const tz of [r?.trait, r?.store])
    if (typeof tz === 'string' && DateTime.local().setZone(tz).isValid) return tz;
  return 'UTC';
};

/** When a wait_until step ends (null: the date it waits for is unknown). */
const waitUntil = async (
  q: Queryable,
  e: EnrollmentRow,
  s: Extract<Step, { type: 'wait_until' }>,
  now: Date,
): Promise<Date | null> => {
  const offset = (s.offset_minutes ?? 0) * 60_000;
  if (s.at) {
    const raw = e.context[s.at] ?? (await traitValue(q, e.customer_id, s.at));
    const d = typeof raw === 'string' ? new Date(raw) : null;
    return d && !Number.isNaN(d.getTime()) ? new Date(d.getTime() + offset) : null;
  }
  const [h, m] = (s.time ?? '00:00').split(':').map(Number);
  const local = DateTime.fromJSDate(now).setZone(await timezoneOf(q, e.customer_id));
  let next = local.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  if (next <= local) next = next.plus({ days: 1 });
  return new Date(next.toJSDate().getTime() + offset);
};

/** A send step: the ledger row, or an exit when what it advertises is no longer available. */
const send = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  j: JourneyRow,
  e: EnrollmentRow,
  s: SendStep,
  now: Date,
): Promise<string | null> => {
  const transactional = j.kind === 'transactional' || s.transactional === true;
  const base = {
    sourceKind: transactional ? ('transactional' as const) : ('journey' as const),
    sourceKey: `${e.id}:${s.key}`,
    journeyId: e.journey_id,
    journeyVersion: e.version,
    stepKey: s.key,
    customerId: e.customer_id,
    medium: s.medium as Medium,
    marketing: !transactional,
    dueAt: now,
    payload: { content: { [s.medium]: s.content }, data: e.context },
  };
  let blocked: string | null = null;
  if (s.require_stock === 'cart') {
    const cartId = str(e.context.cart_id);
    const check = cartId ? await checkCart(tx, cartId, now) : 'cart_closed';
    if (check !== 'available') blocked = check;
  } else if (s.require_stock === 'watched_item') {
    const sku = str(e.context.sku);
    const loc = str(e.context.location_id);
    if (!sku || !loc || (await availableAt(tx, sku, loc)) <= 0) blocked = 'out_of_stock';
  }
  if (blocked === 'out_of_stock') {
    // recorded, so the "why not sent" trace shows it
    await enqueueSends(tx, deps, [{ ...base, status: 'skipped', skipReason: 'out_of_stock' }]);
  }
  if (blocked) return blocked;
  await enqueueSends(tx, deps, [base]);
  return null;
};

/**
 * Runs an active entry from its current step: until a wait (wake_at set), the end (completed), an
 * exit step or a blocked send (exited), or a conversion (converted). Returns the entry as it stands.
 */
export const runSteps = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  j: JourneyRow,
  v: VersionRow,
  e: EnrollmentRow,
): Promise<Run> => {
  const now = deps.clock.now();
  const run: Run = { ...e };
  const end = (state: Run['state'], reason: string | null): Run => ({
    ...run,
    state,
    exit_reason: reason,
    wake_at: null,
  });
  if (v.exit_on && (await convertedSince(tx, e, v.exit_on)))
    return end('converted', `converted: ${v.exit_on.event}`);
  for (let n = 0; n < MAX_STEPS_PER_RUN; n++) {
    const s = v.steps[run.step_index];
    if (!s) return end('completed', null);
    const next = run.step_index + 1;
    switch (s.type) {
      case 'wait':
        return { ...run, step_index: next, wake_at: new Date(now.getTime() + s.duration_minutes * 60_000) };
      case 'wait_until': {
        const at = await waitUntil(tx, e, s, now);
        if (!at) return end('exited', `no_date: ${s.at ?? s.time}`);
        run.step_index = next;
        if (at > now) return { ...run, wake_at: at };
        break;
      }
      case 'branch': {
        const target = (await evaluate(tx, e, s.condition, now)) ? s.then : s.else;
        run.step_index = v.steps.findIndex((x) => x.key === target);
        if (run.step_index < 0) return end('failed', `missing step ${target}`);
        break;
      }
      case 'send': {
        const blocked = await send(tx, deps, j, e, s, now);
        if (blocked) return end('exited', blocked);
        run.step_index = next;
        break;
      }
      case 'update_trait':
        await upsertTraits(
          tx,
          e.customer_id,
          { traits: { [s.trait]: s.value }, observedAt: now, sourceId: null },
          now,
        );
        await markAudienceDirty(tx, [e.customer_id], now);
        run.step_index = next;
        break;
      case 'exit':
        return end('exited', s.reason ?? 'exit_step');
    }
  }
  return end('failed', 'too many steps without a wait (a branch loop?)');
};
