/**
 * What the schemas cannot say about a questionnaire or a set of weights: no choice twice, factors
 * that name an input that exists, transforms that fit their input, weights that are numbers.
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { Answers, type Factor, MEASURE_KEYS, type Weights } from '../../modules/strategy/schema.ts';
import { validation } from '../../platform/errors.ts';

type Problem = { path: string; message: string };

const fail = (detail: string, errors: Problem[]) => {
  if (errors.length > 0) throw validation(detail, errors);
};

const duplicates = (values: readonly string[]): string[] => values.filter((v, i) => values.indexOf(v) !== i);

export const checkAnswers = (a: Answers): void => {
  const errors: Problem[] = [];
  for (const field of ['goals', 'store_roles'] as const)
    for (const d of duplicates(a[field]))
      errors.push({ path: `body.${field}`, message: `lists ${d} more than once` });
  if (a.store_count === 0 && a.store_roles.length > 0)
    errors.push({ path: 'body.store_roles', message: 'must be empty without stores (store_count 0)' });
  fail('The answers do not hold together', errors);
};

/** The literal values an answer field accepts (its enum), or of the items of a list field. */
const literals = (schema: TSchema | undefined): string[] | null => {
  if (!schema) return null;
  const s = schema as TSchema & { anyOf?: TSchema[]; items?: TSchema; const?: unknown };
  if (s[Kind] === 'Array') return literals(s.items);
  if (s[Kind] === 'Union' && s.anyOf?.every((x) => typeof (x as { const?: unknown }).const === 'string'))
    return s.anyOf.map((x) => String((x as { const?: unknown }).const));
  return null;
};

const isListAnswer = (field: string): boolean =>
  (Answers.properties as Record<string, TSchema>)[field]?.[Kind] === 'Array';

const checkFactor = (f: Factor, at: string, errors: Problem[]): void => {
  const answers = Answers.properties as Record<string, TSchema>;
  if (f.source === 'measure' && !(MEASURE_KEYS as readonly string[]).includes(f.input))
    errors.push({ path: `${at}.input`, message: `is not a measure (${MEASURE_KEYS.join(', ')})` });
  if (f.source === 'answer' && !(f.input in answers))
    errors.push({
      path: `${at}.input`,
      message: `is not a questionnaire field (${Object.keys(answers).join(', ')})`,
    });
  for (const [s, w] of Object.entries(f.weights))
    if (!Number.isFinite(w) || Math.abs(w) > 1000)
      errors.push({ path: `${at}.weights.${s}`, message: 'must be a number between -1000 and 1000' });
  const t = f.transform;
  if (f.per && t.kind !== 'linear')
    errors.push({ path: `${at}.per`, message: 'divides a number: the transform must be linear' });
  if (t.kind === 'linear') {
    if (!(Number.isFinite(t.low) && Number.isFinite(t.high) && t.low !== t.high))
      errors.push({ path: `${at}.transform`, message: 'low and high must be different numbers' });
    if (f.source === 'answer' && literals(answers[f.input]))
      errors.push({
        path: `${at}.transform.kind`,
        message: `${f.input} is a choice: use category or choices`,
      });
    return;
  }
  const allowed = f.source === 'answer' ? literals(answers[f.input]) : null;
  if (!allowed) {
    errors.push({ path: `${at}.transform.kind`, message: `${f.input} is a number: use linear` });
    return;
  }
  if (t.kind === 'choices' && !isListAnswer(f.input))
    errors.push({ path: `${at}.transform.kind`, message: `${f.input} is one choice: use category` });
  if (t.kind === 'category' && isListAnswer(f.input))
    errors.push({ path: `${at}.transform.kind`, message: `${f.input} is a list: use choices` });
  for (const [v, signal] of Object.entries(t.values)) {
    if (!allowed.includes(v))
      errors.push({
        path: `${at}.transform.values.${v}`,
        message: `is not a value of ${f.input} (${allowed.join(', ')})`,
      });
    if (!(Number.isFinite(signal) && signal >= -1 && signal <= 1))
      errors.push({ path: `${at}.transform.values.${v}`, message: 'must be a signal between -1 and 1' });
  }
};

export const checkWeights = (w: Weights): void => {
  const errors: Problem[] = [];
  for (const [i, f] of w.factors.entries()) checkFactor(f, `body.weights.factors.${i}`, errors);
  for (const d of duplicates(w.factors.map((f) => f.key)))
    errors.push({ path: 'body.weights.factors', message: `has the factor ${d} more than once` });
  for (const [strategy, effects] of Object.entries(w.effects))
    for (const [name, range] of Object.entries(effects))
      if (!(range[0] <= range[1] && range[1] <= range[2]))
        errors.push({
          path: `body.weights.effects.${strategy}.${name}`,
          message: 'must be [low, base, high] in order',
        });
  fail('The weights are not usable', errors);
};
