/**
 * Static checks of message content: every field compiles, every variable path exists in the
 * recipient context (loop variables over `products` included), every filter is known, and each
 * medium has the fields it needs. No rendering with a dummy context: Liquid's own static analysis.
 */
import type { Template, Variable } from 'liquidjs';
import { MEDIA, type Medium } from '../../modules/messaging/types.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { Content, TemplateProblem } from './templates.ts';
import { describeLiquidError, engineOf, parseTemplate } from './templates-engine.ts';
import {
  CONTEXT_SHAPE,
  type Field,
  flavourOf,
  isSafeUrl,
  LITERAL_FIELDS,
  LOOP_NAMES,
  MEDIUM_FIELDS,
  REQUIRED,
  type Shape,
  SLOT_PATTERN,
  SMS_MAX,
} from './templates-shape.ts';

type Segment = string | number | Variable;

const childrenOf = (node: Template): Template[] => {
  if (!node.children) return [];
  const it = node.children(false, true);
  let r = it.next();
  while (!r.done) r = it.next();
  return r.value ?? [];
};

const endOf = (node: Template): number => Math.max(node.token.end, ...childrenOf(node).map((c) => endOf(c)));

interface Loop {
  name: string;
  collection: string;
  /** where the loop variable is bound: the body (offsets in the source) */
  from: number;
  to: number;
  at: number;
}

/** `{% for x in path %}` and `{% tablerow x in path %}` loops, with the span of their bodies. */
const loopsOf = (nodes: readonly Template[], out: Loop[] = []): Loop[] => {
  for (const node of nodes) {
    const n = node as Template & {
      variable?: unknown;
      collection?: { getText?: () => string };
      templates?: unknown;
    };
    if (
      typeof n.variable === 'string' &&
      typeof n.collection?.getText === 'function' &&
      Array.isArray(n.templates)
    ) {
      const body = n.templates as Template[];
      out.push({
        name: n.variable,
        collection: n.collection.getText(),
        from: node.token.end,
        to: Math.max(node.token.end, ...body.map(endOf)),
        at: node.token.begin,
      });
    }
    loopsOf(childrenOf(node), out);
  }
  return out;
};

/** A simple path such as `products` or `customer.traits.sizes` as segments, else undefined. */
const parsePath = (text: string): Segment[] | undefined => {
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[\d+\])*$/.test(text)) return undefined;
  return text
    .split(/\.|\[|\]/)
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
};

const lineStarts = (src: string): number[] => {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') starts.push(i + 1);
  return starts;
};

/** Levenshtein distance, for "did you mean" (short names only). */
const distance = (a: string, b: string): number => {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] ?? 0;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j] ?? 0;
      d[j] = Math.min((d[j] ?? 0) + 1, (d[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length] ?? 0;
};

const suggest = (name: string, options: readonly string[]): string => {
  const best = options
    .map((o) => ({ o, d: distance(name, o) }))
    .filter((x) => x.d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  return best ? ` (did you mean ${best.o}?)` : '';
};

const show = (segs: readonly Segment[]): string =>
  segs
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : typeof s === 'string' ? (i ? `.${s}` : s) : '[…]'))
    .join('');

/** Follows a path into a shape: the shape it reaches, or why it does not exist. */
const follow = (
  shape: Shape,
  segs: readonly Segment[],
  seen: Segment[],
): { shape: Shape } | { error: string } => {
  let cur = shape;
  const path = [...seen];
  for (const seg of segs) {
    const here = show(path);
    path.push(seg);
    if (cur.kind === 'any') return { shape: cur };
    if (cur.kind === 'list') {
      if (typeof seg !== 'string') cur = cur.of;
      else if (seg === 'first' || seg === 'last') cur = cur.of;
      else if (seg === 'size') cur = { kind: 'scalar' };
      else return { error: `${here} is a list: use a loop, ${here}[0], first, last or size, not .${seg}` };
    } else if (cur.kind === 'object') {
      if (typeof seg !== 'string') return { error: `${here} is not a list` };
      const next = cur.fields[seg];
      if (!next) return { error: `unknown variable ${show(path)}${suggest(seg, Object.keys(cur.fields))}` };
      cur = next;
    } else if (seg !== 'size') {
      return { error: `unknown variable ${show(path)}: ${here} has no properties` };
    }
  }
  return { shape: cur };
};

/** Variable problems of one parsed field. */
const variableProblems = (
  tpl: Template[],
  source: string,
  flavour: 'html' | 'text',
  extra: ReadonlySet<string>,
): { message: string; line: number; column: number }[] => {
  const analysis = engineOf(flavour).analyzeSync(tpl, { partials: false });
  const locals = new Set(Object.keys(analysis.locals));
  const loops = loopsOf(tpl);
  const starts = lineStarts(source);
  const offsetOf = (v: Variable) => (starts[v.location.row - 1] ?? 0) + v.location.col - 1;
  const problems: { message: string; line: number; column: number }[] = [];

  /** The shape a path reaches from the template's point `offset`, resolving loop variables. */
  const resolve = (
    segs: readonly Segment[],
    offset: number,
    depth = 0,
  ): { shape: Shape } | { error: string } | null => {
    const root = segs[0];
    if (typeof root !== 'string') return null;
    const loop = loops
      .filter((l) => l.name === root && offset >= l.from && offset <= l.to)
      .sort((a, b) => b.from - a.from)[0];
    if (loop && depth < 10) {
      const coll = parsePath(loop.collection);
      if (!coll) return { shape: { kind: 'any' } }; // a range (1..5) or a literal: its items are plain values
      const outer = resolve(coll, loop.at, depth + 1);
      if (!outer || 'error' in outer) return outer;
      const item: Shape = outer.shape.kind === 'list' ? outer.shape.of : { kind: 'any' };
      return follow(item, segs.slice(1), [root]);
    }
    if (locals.has(root) || LOOP_NAMES.has(root) || extra.has(root)) return null;
    const top = CONTEXT_SHAPE[root];
    if (!top) return { error: `unknown variable ${root}${suggest(root, Object.keys(CONTEXT_SHAPE))}` };
    return follow(top, segs.slice(1), [root]);
  };

  const seen = new Set<string>();
  for (const list of Object.values(analysis.variables)) {
    for (const v of list) {
      const r = resolve(v.segments, offsetOf(v));
      if (!r || !('error' in r)) continue;
      const key = `${r.error}@${v.location.row}:${v.location.col}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ message: r.error, line: v.location.row, column: v.location.col });
    }
  }
  return problems;
};

/** Problems of one field's template: syntax, unknown filters, unknown variables. */
export const checkField = (
  medium: Medium,
  field: Field,
  source: string,
  extra: ReadonlySet<string> = new Set(),
): TemplateProblem[] => {
  const flavour = flavourOf(medium, field);
  let tpl: Template[];
  try {
    tpl = parseTemplate(flavour, source);
  } catch (e) {
    return [{ medium, field, ...describeLiquidError(e) }];
  }
  return variableProblems(tpl, source, flavour, extra).map((p) => ({ medium, field, ...p }));
};

const isMedium = (m: string): m is Medium => (MEDIA as readonly string[]).includes(m);

/** Problems of one medium's content: unknown and missing fields, then each field's template. */
const checkMedium = (
  medium: Medium,
  fields: Record<string, unknown>,
  extra: ReadonlySet<string>,
): TemplateProblem[] => {
  const allowed = MEDIUM_FIELDS[medium] as readonly string[];
  const problems: TemplateProblem[] = [];
  const present = (f: string) => typeof fields[f] === 'string' && (fields[f] as string).trim() !== '';
  for (const [field, value] of Object.entries(fields)) {
    if (!allowed.includes(field)) {
      const what = allowed.length ? `fields are ${allowed.join(', ')}` : 'medium has no content';
      problems.push({ medium, field, message: `unknown field ${field} (this ${what})` });
    } else if (value !== undefined && value !== null && typeof value !== 'string') {
      problems.push({ medium, field, message: 'must be a string' });
    }
  }
  for (const oneOf of REQUIRED[medium]) {
    if (!oneOf.some(present)) {
      problems.push({
        medium,
        field: oneOf[0] ?? '',
        message: oneOf.length > 1 ? `needs ${oneOf.join(' or ')}` : `${oneOf[0]} is required`,
      });
    }
  }
  for (const field of allowed as readonly Field[]) {
    const source = fields[field];
    if (typeof source !== 'string' || source === '') continue;
    if (LITERAL_FIELDS.has(field)) {
      if (!SLOT_PATTERN.test(source)) {
        problems.push({ medium, field, message: 'a slot name is lowercase letters, digits and _' });
      }
      continue;
    }
    if (medium === 'sms' && field === 'text' && source.length > SMS_MAX) {
      problems.push({
        medium,
        field,
        message: `an SMS is at most ${SMS_MAX} characters (this one ${source.length})`,
      });
    }
    if (field === 'url' || field === 'image_url') {
      if (!source.includes('{') && !isSafeUrl(source.trim())) {
        problems.push({ medium, field, message: 'must be an http(s) URL or a path starting with /' });
      }
    }
    problems.push(...checkField(medium, field, source, extra));
  }
  return problems;
};

/** Every problem of the content, in medium and field order (an empty list: it is valid). */
export const checkAll = (content: unknown, variables: readonly string[] = []): TemplateProblem[] => {
  const extra = new Set(variables);
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    return [{ medium: '', field: '', message: 'content must be an object of media' }];
  }
  const problems: TemplateProblem[] = [];
  for (const [medium, fields] of Object.entries(content as Content)) {
    if (!isMedium(medium)) {
      problems.push({
        medium,
        field: '',
        message: `unknown medium ${medium} (media are ${MEDIA.join(', ')})`,
      });
    } else if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      problems.push({ medium, field: '', message: 'must be an object of fields' });
    } else {
      problems.push(...checkMedium(medium, fields as Record<string, unknown>, extra));
    }
  }
  return problems;
};

/** Keys of `customer.traits.*` and `customer.computed.*` that the content uses (for a sample context). */
export const traitKeysUsed = (content: Content): { traits: string[]; computed: string[] } => {
  const traits = new Set<string>();
  const computed = new Set<string>();
  for (const [medium, fields] of Object.entries(content)) {
    if (!isMedium(medium) || !fields) continue;
    for (const [field, source] of Object.entries(fields)) {
      if (typeof source !== 'string' || LITERAL_FIELDS.has(field as Field)) continue;
      const flavour = flavourOf(medium, field as Field);
      try {
        const analysis = engineOf(flavour).analyzeSync(parseTemplate(flavour, source), { partials: false });
        for (const v of analysis.globals.customer ?? []) {
          const [, kind, key] = v.segments;
          if (typeof key !== 'string') continue;
          if (kind === 'traits') traits.add(key);
          if (kind === 'computed') computed.add(key);
        }
      } catch {
        // a field that does not compile uses nothing
      }
    }
  }
  return { traits: [...traits], computed: [...computed] };
};

/** TEMPLATE_INVALID with every problem (`errors[]` also carry `path`: `content.<medium>.<field>`). */
export const templateInvalid = (problems: readonly TemplateProblem[]): PlazaError => {
  const first = problems[0];
  const where = first ? `${first.medium}${first.field ? `.${first.field}` : ''}` : '';
  const at = first?.line ? ` (line ${first.line}, column ${first.column})` : '';
  return new PlazaError('TEMPLATE_INVALID', first ? `${where}: ${first.message}${at}` : undefined, {
    errors: problems.map((p) => ({
      path: ['content', p.medium, p.field].filter(Boolean).join('.'),
      ...p,
    })),
  });
};
