/** Checks a journey definition beyond its schema: the steps graph and the templates of its sends. */
import type { Medium } from '../../modules/messaging/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { PlazaError, validation } from '../../platform/errors.ts';
import { checkContent, type TemplateProblem } from '../campaigns/templates.ts';
import type { Definition } from './schema.ts';

/**
 * Step keys are unique, branch targets exist, wait_until has a time or a date, and every send's
 * content compiles (TEMPLATE_INVALID with every problem, each prefixed with its step key).
 */
export const assertDefinition = (d: Definition): void => {
  const keys = new Set<string>();
  const errors: { path: string; message: string }[] = [];
  d.steps.forEach((s, i) => {
    if (keys.has(s.key)) errors.push({ path: `steps/${i}/key`, message: `step key ${s.key} is used twice` });
    keys.add(s.key);
  });
  d.steps.forEach((s, i) => {
    if (s.type === 'branch') {
      for (const target of [s.then, s.else] as const) {
        if (!keys.has(target))
          errors.push({
            path: `steps/${i}`,
            message: `branch target ${target} is not a step of this journey`,
          });
        else if (target === s.key)
          errors.push({ path: `steps/${i}`, message: 'a branch cannot lead to itself' });
      }
    }
    if (s.type === 'wait_until' && !s.time && !s.at)
      errors.push({ path: `steps/${i}`, message: 'wait_until needs a local time or an `at` date' });
  });
  if (errors.length) throw validation('The journey steps are not valid', errors);
  const problems: TemplateProblem[] = [];
  for (const s of d.steps) {
    if (s.type !== 'send') continue;
    // journey sends also render `data` (the entry's context: cart, watched item, pickup code …)
    for (const p of checkContent({ [s.medium as Medium]: s.content }, { variables: ['data'] })) {
      problems.push({ ...p, field: `${s.key}.${p.field}` });
    }
  }
  if (problems.length)
    throw new PlazaError('TEMPLATE_INVALID', 'A send step has a template that does not compile', {
      errors: problems,
    });
};

/** A segment trigger or branch names a live segment. */
export const assertSegments = async (q: Queryable, d: Definition): Promise<void> => {
  const ids = new Set<string>();
  if (d.trigger.type === 'segment_entered') ids.add(d.trigger.segment_id);
  for (const s of d.steps)
    if (s.type === 'branch' && 'segment' in s.condition) ids.add(s.condition.segment.segment_id);
  if (ids.size === 0) return;
  const { rows } = await q.query<{ id: string }>(
    'SELECT id FROM segments WHERE id = ANY($1::text[]) AND archived_at IS NULL',
    [[...ids]],
  );
  const missing = [...ids].filter((id) => !rows.some((r) => r.id === id));
  if (missing.length)
    throw new PlazaError(
      'AUDIENCE_UNAVAILABLE',
      `Segment ${missing.join(', ')} does not exist or is archived`,
      {
        segment_ids: missing,
      },
    );
};
