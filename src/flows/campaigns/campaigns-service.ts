/**
 * Campaign rules: the lifecycle (one transition table), what makes a campaign valid (audience, media,
 * variants and their splits, content, schedule, winner), and the actions schedule, pause, resume and
 * cancel. The planner (plan.ts) and the jobs (jobs-campaigns.ts) move the rest of the lifecycle.
 */
import { DateTime } from 'luxon';
import type { Medium } from '../../modules/messaging/types.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { PlazaError, validation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordTransition, stateMachine } from '../../platform/state-machine.ts';
import { audienceAvailable } from './audiences.ts';
import * as repo from './campaigns-repo.ts';
import type { CampaignStatus, CreateCampaignBody, Schedule, UpdateCampaignBody } from './campaigns-schema.ts';
import { type Content, checkContent } from './templates.ts';

/**
 * draft → scheduled → planning → sending → completed. Pause holds a scheduled, planning or sending
 * campaign; resume returns it to scheduled (not yet planned) or sending. Any state that is not final
 * may be cancelled. planning/paused → completed: the audience vanished (segment deleted) or was empty.
 */
export const campaignMachine = stateMachine<CampaignStatus>('campaign', {
  draft: ['scheduled', 'cancelled'],
  scheduled: ['planning', 'paused', 'cancelled'],
  planning: ['sending', 'paused', 'cancelled', 'completed'],
  sending: ['completed', 'paused', 'cancelled'],
  paused: ['scheduled', 'sending', 'cancelled', 'completed'],
  completed: [],
  cancelled: [],
});

/** Media shown to whoever visits (no audience needed: every visitor may see them). */
const VISITOR_MEDIA: readonly Medium[] = ['banner', 'in_app'];
/** Media without template content (an ad audience is a list of hashed identifiers). */
const CONTENTLESS: readonly Medium[] = ['ads'];
/** The latest and earliest UTC offsets of inhabited time zones (a local time happens in this window). */
const EARLIEST_OFFSET_HOURS = 14;
const LATEST_OFFSET_HOURS = -12;

type Issue = { path: string; message: string };

/** The instant of a local date and time in a time zone (luxon, DST-aware). */
export const localInstant = (date: string, time: string, zone: string): Date | null => {
  const t = DateTime.fromISO(`${date}T${time}`, { zone });
  return t.isValid ? t.toJSDate() : null;
};

const localWindow = (s: Schedule): { first: Date; last: Date } | null => {
  if (!s.date || !s.local_time) return null;
  const utc = localInstant(s.date, s.local_time, 'UTC');
  if (!utc) return null;
  return {
    first: new Date(utc.getTime() - EARLIEST_OFFSET_HOURS * 3_600_000),
    last: new Date(utc.getTime() - LATEST_OFFSET_HOURS * 3_600_000),
  };
};

const scheduleIssues = (s: Schedule, now: Date | null): Issue[] => {
  const issues: Issue[] = [];
  if (s.mode === 'at' && !s.at) issues.push({ path: 'body.schedule.at', message: 'is required for mode at' });
  if (s.mode === 'local_time') {
    if (!s.local_time)
      issues.push({ path: 'body.schedule.local_time', message: 'is required for local_time' });
    if (!s.date) issues.push({ path: 'body.schedule.date', message: 'is required for local_time' });
    const w = localWindow(s);
    if (s.date && s.local_time && !w) issues.push({ path: 'body.schedule.date', message: 'is not a date' });
    if (w && now && w.last < now)
      issues.push({ path: 'body.schedule.date', message: 'this local time has passed in every time zone' });
  }
  return issues;
};

/** Checks a campaign's fields together (what the schema cannot say); throws VALIDATION_FAILED or TEMPLATE_INVALID. */
export const assertCampaign = (f: repo.CampaignFields, now: Date | null = null): void => {
  const issues: Issue[] = [];
  if (f.segment_id && f.list_id)
    issues.push({ path: 'body.list_id', message: 'a campaign has a segment or a list, not both' });
  if (new Set(f.media).size !== f.media.length)
    issues.push({ path: 'body.media', message: 'lists a medium twice' });
  if (!f.segment_id && !f.list_id && f.media.some((m) => !VISITOR_MEDIA.includes(m)))
    issues.push({
      path: 'body.segment_id',
      message: 'an audience (segment_id or list_id) is required unless every medium is banner or in_app',
    });
  const keys = f.variants.map((v) => v.key);
  if (new Set(keys).size !== keys.length)
    issues.push({ path: 'body.variants', message: 'variant keys repeat' });
  const total = f.variants.reduce((n, v) => n + v.split, 0);
  if (total !== 100) issues.push({ path: 'body.variants', message: `splits add up to ${total}, not 100` });
  f.variants.forEach((v, i) => {
    for (const m of f.media) {
      if (!CONTENTLESS.includes(m) && !v.content[m])
        issues.push({
          path: `body.variants[${i}].content.${m}`,
          message: `is required: the campaign sends ${m}`,
        });
    }
  });
  issues.push(...scheduleIssues(f.schedule, now));
  if (f.winner) {
    if (f.variants.length < 2)
      issues.push({ path: 'body.winner', message: 'an automatic winner needs two variants or more' });
    if (f.schedule.mode === 'local_time')
      issues.push({
        path: 'body.winner',
        message: 'an automatic winner needs one send time (mode now or at)',
      });
  }
  if (issues.length) throw validation('The campaign is not valid', issues);
  const problems = f.variants.flatMap((v, i) =>
    checkContent(v.content as Content).map((p) => ({
      path: `body.variants[${i}].content.${p.medium}.${p.field}`,
      variant: v.key,
      ...p,
    })),
  );
  if (problems.length)
    throw new PlazaError('TEMPLATE_INVALID', 'A template does not compile or uses an unknown variable', {
      errors: problems,
    });
};

const fieldsOf = (
  b: CreateCampaignBody | (UpdateCampaignBody & repo.CampaignFields),
): repo.CampaignFields => ({
  name: b.name,
  kind: b.kind ?? 'marketing',
  segment_id: b.segment_id ?? null,
  list_id: b.list_id ?? null,
  media: [...b.media],
  variants: b.variants,
  schedule: b.schedule ?? { mode: 'now' },
  winner: b.winner ?? null,
  holdout_percent: b.holdout_percent ?? 0,
  throttle: b.throttle ?? {},
  offer: b.offer ?? null,
  product_ids: b.product_ids ?? [],
  require_in_stock: b.require_in_stock ?? false,
  utm: b.utm ?? null,
});

const assertReferences = async (q: Queryable, f: repo.CampaignFields): Promise<void> => {
  const issues: Issue[] = [];
  if (f.segment_id || f.list_id) {
    const a = await audienceAvailable(q, f);
    if (!a)
      issues.push({ path: f.segment_id ? 'body.segment_id' : 'body.list_id', message: 'does not exist' });
  }
  if (f.offer) {
    const d = await q.query('SELECT 1 FROM discounts WHERE id = $1', [f.offer.discount_id]);
    if (!d.rows.length) issues.push({ path: 'body.offer.discount_id', message: 'does not exist' });
  }
  if (issues.length) throw validation('The campaign refers to something that does not exist', issues);
};

export const createCampaign = async (
  tx: Tx,
  clock: Clock,
  body: CreateCampaignBody,
  actor: string | null,
): Promise<repo.CampaignRow> => {
  const f = fieldsOf(body);
  assertCampaign(f);
  await assertReferences(tx, f);
  const row = await repo.insertCampaign(tx, newId('cmp'), f, actor, clock.now());
  await recordTransition(tx, clock, campaignMachine, {
    entityType: 'campaign',
    entityId: row.id,
    from: null,
    to: 'draft',
    actor: actor ?? 'admin',
  });
  return row;
};

/** Only a draft changes its audience, media, content or schedule; name and throttle may change until the end. */
const LATE_FIELDS = new Set(['name', 'throttle']);

export const updateCampaign = async (
  tx: Tx,
  clock: Clock,
  id: string,
  patch: UpdateCampaignBody,
): Promise<repo.CampaignRow> => {
  const row = await lockCampaign(tx, id);
  if (row.status !== 'draft') {
    const late = Object.keys(patch).every((k) => LATE_FIELDS.has(k));
    if (!late || row.status === 'completed' || row.status === 'cancelled')
      throw new PlazaError('CONFLICT', `A ${row.status} campaign cannot change this way (only a draft can)`, {
        status: row.status,
      });
  }
  const merged = fieldsOf({ ...row, ...stripUndefined(patch) } as UpdateCampaignBody & repo.CampaignFields);
  assertCampaign(merged);
  await assertReferences(tx, merged);
  return repo.updateCampaignFields(tx, id, merged, clock.now());
};

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export const lockCampaign = async (tx: Tx, id: string): Promise<repo.CampaignRow> => {
  const row = await repo.getCampaign(tx, id, true);
  if (!row) throw new PlazaError('NOT_FOUND', `Campaign ${id} was not found`, { id });
  return row;
};

/** Moves a (locked) campaign to a new status through the machine, recording the transition. */
export const transition = async (
  tx: Tx,
  clock: Clock,
  row: repo.CampaignRow,
  to: CampaignStatus,
  opts: { actor?: string; reason?: string; scheduledAt?: Date } = {},
): Promise<repo.CampaignRow> => {
  // recordTransition lets a state "move" to itself; a campaign action never does (cancel twice is refused)
  campaignMachine.assert(row.status, to, `campaign ${row.id}`);
  await recordTransition(tx, clock, campaignMachine, {
    entityType: 'campaign',
    entityId: row.id,
    from: row.status,
    to,
    actor: opts.actor ?? 'system',
    reason: opts.reason ?? null,
  });
  return repo.setCampaignStatus(tx, row.id, to, clock.now(), { scheduledAt: opts.scheduledAt });
};

/** When the planner takes the campaign: now, the given instant, or the first local time anywhere (UTC+14). */
export const planningTime = (s: Schedule, now: Date): Date => {
  const at = s.mode === 'at' && s.at ? new Date(s.at) : s.mode === 'local_time' ? localWindow(s)?.first : now;
  return at && at > now ? at : now;
};

/** Schedules a draft: the audience must exist (AUDIENCE_UNAVAILABLE) and the content compile (TEMPLATE_INVALID). */
export const scheduleCampaign = async (tx: Tx, clock: Clock, id: string, actor: string) => {
  const row = await lockCampaign(tx, id);
  campaignMachine.assert(row.status, 'scheduled', `campaign ${id}`);
  const now = clock.now();
  assertCampaign(row, now);
  if ((row.segment_id || row.list_id) && !(await audienceAvailable(tx, row)))
    throw new PlazaError('AUDIENCE_UNAVAILABLE', 'The campaign’s segment or list no longer exists', {
      segment_id: row.segment_id,
      list_id: row.list_id,
    });
  return transition(tx, clock, row, 'scheduled', { actor, scheduledAt: planningTime(row.schedule, now) });
};

export const pauseCampaign = async (tx: Tx, clock: Clock, id: string, actor: string) =>
  transition(tx, clock, await lockCampaign(tx, id), 'paused', { actor });

/** Resumes a paused campaign: back to sending once planned, else to scheduled (due at its planning time). */
export const resumeCampaign = async (tx: Tx, clock: Clock, id: string, actor: string) => {
  const row = await lockCampaign(tx, id);
  if (row.status !== 'paused') campaignMachine.assert(row.status, 'sending', `campaign ${id}`);
  const to: CampaignStatus = row.planned_at ? 'sending' : 'scheduled';
  return transition(tx, clock, row, to, { actor, scheduledAt: row.scheduled_at ?? clock.now() });
};

/** Cancels: the sender no longer takes its rows; the planned ones are marked cancelled (cancelPlanned). */
export const cancelCampaign = async (tx: Tx, clock: Clock, id: string, actor: string) =>
  transition(tx, clock, await lockCampaign(tx, id), 'cancelled', { actor });
