/**
 * Input the schema cannot express is still input. Two gaps of JSON Schema validation are closed here,
 * once for every route, where input enters:
 *
 * - Numbers: with type coercion Ajv turns `?limit=1e309` into Infinity, and a JSON body may hold
 *   `1e309` or `9007199254740993` (2^53 + 1, which JavaScript cannot represent). Every integer and
 *   number of a request schema is bounded to the safe-integer range, so such values are refused
 *   with VALIDATION_FAILED before a handler or the database sees them.
 * - Text: PostgreSQL refuses NUL in `text` and `jsonb`, and a lone UTF-16 surrogate in `jsonb`.
 *   Query strings, path segments, headers and JSON bodies holding either are refused.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { PlazaError } from '../errors.ts';

/** The largest magnitude any number in a request may have: 2^53 − 1. */
export const SAFE_LIMIT = Number.MAX_SAFE_INTEGER;

type Json = Record<string, unknown>;

/** Keywords whose value is a subschema, an array of subschemas, or a map of name → subschema. */
const ONE = new Set([
  'items',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
]);
const MANY = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const MAP = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

const isNumeric = (type: unknown): boolean =>
  type === 'integer' || type === 'number' || (Array.isArray(type) && type.some(isNumeric));

const mapValues = (o: unknown, f: (v: unknown) => unknown): unknown =>
  o && typeof o === 'object' && !Array.isArray(o)
    ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]))
    : o;

/**
 * A copy of a request schema in which every integer and number is bounded to ±(2^53 − 1): tighter
 * bounds a route declares are kept, wider or missing ones are narrowed. Infinity (from `1e309` in a
 * query or body) and integers JavaScript rounds (2^53 + 1) then fail validation.
 */
export const boundNumbers = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(boundNumbers);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (ONE.has(k)) out[k] = boundNumbers(v);
    else if (MANY.has(k)) out[k] = Array.isArray(v) ? v.map(boundNumbers) : v;
    else if (MAP.has(k)) out[k] = mapValues(v, boundNumbers);
    else out[k] = v;
  }
  if (isNumeric(out.type)) {
    const min = typeof out.minimum === 'number' ? out.minimum : -SAFE_LIMIT;
    const max = typeof out.maximum === 'number' ? out.maximum : SAFE_LIMIT;
    out.minimum = Math.max(min, -SAFE_LIMIT);
    out.maximum = Math.min(max, SAFE_LIMIT);
  }
  return out;
};

const REQUEST_PARTS = ['body', 'querystring', 'params', 'headers'] as const;

/** A UTF-16 surrogate that is not half of a pair (with the `u` flag a pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

const textIssue = (s: string): string | undefined => {
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode text';
  return undefined;
};

/** No Plaza request nests deeper; a deeper body is refused rather than walked. */
const MAX_DEPTH = 32;

/**
 * The first string (or object key) in a parsed value that the database cannot store, with its path
 * (or the point where the value nests too deeply to be checked).
 */
export const findBadText = (
  value: unknown,
  path: string,
  depth = 0,
): { path: string; message: string } | undefined => {
  if (typeof value === 'string') {
    const message = textIssue(value);
    return message ? { path, message } : undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  if (depth > MAX_DEPTH) return { path, message: `must not be nested deeper than ${MAX_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadText(value[i], `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const keyIssue = textIssue(k);
    if (keyIssue) return { path: `${path}.${JSON.stringify(k).slice(1, -1)}`, message: keyIssue };
    const found = findBadText(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return undefined;
};

const refuse = (issue: { path: string; message: string }) =>
  new PlazaError('VALIDATION_FAILED', `${issue.path} ${issue.message}`, { errors: [issue] });

const checkRequestLine = async (req: FastifyRequest) => {
  const issue =
    findBadText(req.params, 'params') ??
    findBadText(req.query, 'querystring') ??
    findBadText(req.headers, 'headers');
  if (issue) throw refuse(issue);
};

const checkBody = async (req: FastifyRequest) => {
  const issue = findBadText(req.body, 'body');
  if (issue) throw refuse(issue);
};

/**
 * Installs the input guards on the root app, before any route is added: request schemas get
 * bounded numbers (onRoute), and text that PostgreSQL refuses is answered with VALIDATION_FAILED
 * before authentication reads a header or query parameter (onRequest) and before a body is
 * validated (preValidation).
 */
export const installInputGuards = (app: FastifyInstance): void => {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as Json | undefined;
    if (!schema) return;
    const bounded: Json = { ...schema };
    for (const part of REQUEST_PARTS) if (schema[part]) bounded[part] = boundNumbers(schema[part]);
    route.schema = bounded;
  });
  app.addHook('onRequest', checkRequestLine);
  app.addHook('preValidation', checkBody);
};
