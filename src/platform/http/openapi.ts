/**
 * The OpenAPI document at /openapi.json, made from the routes' own schemas so that it cannot drift
 * from what the server validates. What a route schema cannot say is derived here, once:
 * - the problem answers of every operation (`application/problem+json`, one response per status,
 *   the codes listed in its description and in `x-problem-codes`), from its security, parameters,
 *   body, method and the extra `problems` a route declares;
 * - the headers a handler reads itself (`reads`, such as Idempotency-Key), as header parameters;
 * - query parameters with a default are optional, and so is a body without required properties;
 * - TypeBox schemas with an `$id` become named component schemas, referenced with `$ref`.
 */
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';

/** Request headers that handlers read themselves (documented as header parameters). */
export const READ_HEADERS = {
  'Idempotency-Key':
    'A fresh random value (a UUID) per operation: resending the same key with the same body returns the first ' +
    'answer; the same key with another body is IDEMPOTENCY_MISMATCH',
  'x-plaza-cart-token': 'Secret token of an anonymous cart (`cart_token` from POST /store/carts)',
  'x-plaza-anonymous-id':
    'Stable id of this device or browser before login (8–128 of A–Z a–z 0–9 . _ : -), linked to the customer at login',
  'x-plaza-order-token': 'Secret token of a guest order (`order_token` from the checkout answer)',
} as const;
export type ReadHeader = keyof typeof READ_HEADERS;

declare module 'fastify' {
  interface FastifySchema {
    /** OpenAPI: problem codes this operation answers besides those derived from its security, params and body. */
    problems?: readonly ErrorCode[];
    /** OpenAPI: headers the handler reads itself, and whether it refuses the request without them. */
    reads?: Partial<Record<ReadHeader, 'required' | 'optional'>>;
  }
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface OpenApiOptions {
  version: string;
  description: string;
  securitySchemes: NonNullable<
    NonNullable<FastifyDynamicSwaggerOptions['openapi']>['components']
  >['securitySchemes'];
  /** Tag descriptions (the modules' `tags`). */
  tags: readonly { name: string; description: string }[];
}

const HEADER_SCHEMAS: Record<ReadHeader, Json> = {
  'Idempotency-Key': { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$', minLength: 1, maxLength: 255 },
  'x-plaza-cart-token': { type: 'string', minLength: 1, maxLength: 200 },
  'x-plaza-anonymous-id': {
    type: 'string',
    pattern: '^[A-Za-z0-9._:-]{8,128}$',
    minLength: 8,
    maxLength: 128,
  },
  'x-plaza-order-token': { type: 'string', minLength: 1, maxLength: 200 },
};

/** The schema's `headers` with the headers its handler reads itself (`reads`) added. */
const headersOf = (schema: Json): Json | undefined => {
  const reads = Object.entries((schema.reads as Json | undefined) ?? {}) as [ReadHeader, string][];
  if (!reads.length) return undefined;
  const base = isJson(schema.headers) ? schema.headers : { type: 'object', properties: {} };
  const properties: Json = { ...(base.properties as Json) };
  const required = [...((base.required as string[] | undefined) ?? [])];
  for (const [h, need] of reads) {
    delete properties[h.toLowerCase()];
    properties[h] = { ...HEADER_SCHEMAS[h], description: READ_HEADERS[h] };
    if (need === 'required') required.push(h);
  }
  return { ...base, properties, ...(required.length ? { required } : {}) };
};

/** A query schema in which parameters with a default are not required (the server fills them in). */
const defaultsOptional = (query: Json): Json => {
  const props = (query.properties as Record<string, Json> | undefined) ?? {};
  const required = ((query.required as string[] | undefined) ?? []).filter(
    (k) => props[k]?.default === undefined,
  );
  const { required: _, ...rest } = query;
  return required.length ? { ...rest, required } : rest;
};

/** True when a body may be left out: no required property at the top (an empty body is `{}`). */
const bodyOptional = (body: Json): boolean =>
  !(Array.isArray(body.required) && body.required.length > 0) && body.type === 'object';

/** A schema with an `$id` at the top is wrapped, so that the document refers to it by name. */
const named = (s: unknown): unknown => (isJson(s) && typeof s.$id === 'string' ? { allOf: [s] } : s);

const ALWAYS: ErrorCode[] = ['VALIDATION_FAILED', 'INTERNAL', 'SERVICE_UNAVAILABLE'];
const ADMIN: ErrorCode[] = ['UNAUTHORIZED', 'FORBIDDEN'];
const STORE: ErrorCode[] = ['CHANNEL_KEY_REQUIRED', 'UNAUTHORIZED', 'FORBIDDEN', 'INVALID_ANONYMOUS_ID'];
const BODY: ErrorCode[] = ['MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];
const IDEMPOTENT: ErrorCode[] = ['IDEMPOTENCY_MISMATCH', 'IDEMPOTENCY_IN_PROGRESS'];

/** True when a body names records by id or SKU (`location_id`, `order_ids`, `sku` …), which may not exist. */
const namesRecords = (schema: unknown): boolean => {
  if (Array.isArray(schema)) return schema.some(namesRecords);
  if (!isJson(schema)) return false;
  const props = isJson(schema.properties) ? Object.keys(schema.properties) : [];
  if (props.some((k) => /(^|_)(id|ids|sku|skus)$/.test(k))) return true;
  return Object.values(schema).some(namesRecords);
};

/**
 * The problem codes an operation can answer: every one can fail validation, fail inside or find the
 * database away (or the process closing); /admin and /store check credentials (and /store the browser
 * origin); a body can be malformed, too large or not JSON; an id in the path or the body can name
 * nothing; a write can meet a concurrent one (CONFLICT); an idempotent one a reused key; plus what the
 * route declares.
 */
export const problemCodesOf = (url: string, method: string, schema: Json): ErrorCode[] => {
  // The tracking API answers like Segment (JSON `{success: false, code}`), declared by its routes.
  if (url.startsWith('/v1/')) return [];
  const codes = new Set<ErrorCode>(ALWAYS);
  if (url.startsWith('/admin/')) for (const c of ADMIN) codes.add(c);
  if (url.startsWith('/admin/') && method !== 'GET') codes.add('CSRF_FAILED'); // session cookie without its token
  if (url.startsWith('/store/')) for (const c of STORE) codes.add(c);
  if (schema.body) for (const c of BODY) codes.add(c);
  if (url.includes(':') || namesRecords(schema.body)) codes.add('NOT_FOUND');
  if (method !== 'GET') codes.add('CONFLICT');
  if ((schema.reads as Json | undefined)?.['Idempotency-Key']) for (const c of IDEMPOTENT) codes.add(c);
  for (const c of (schema.problems as ErrorCode[] | undefined) ?? []) codes.add(c);
  return [...codes].sort((a, b) => ERROR_CODES[a].status - ERROR_CODES[b].status || a.localeCompare(b));
};

const STATUS_TEXT: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

const PROBLEM_JSON = 'application/problem+json';

/**
 * Throws when two different schemas carry the same `$id`: the document would silently show one of
 * them for both (a copy made with Type.Omit or a spread keeps the `$id` of its original).
 */
const checkNames = (schema: unknown, names: Map<string, string>): void => {
  if (Array.isArray(schema)) for (const x of schema) checkNames(x, names);
  if (!isJson(schema)) return;
  if (typeof schema.$id === 'string') {
    const text = JSON.stringify(schema);
    const known = names.get(schema.$id);
    if (known !== undefined && known !== text) {
      throw new Error(`Two different schemas are named ${schema.$id}: give one of them another $id`);
    }
    names.set(schema.$id, text);
  }
  for (const v of Object.values(schema)) checkNames(v, names);
};

/** The per-route transform: the route's schema as the document should show it (never the one Fastify validates with). */
const transformRoute = (
  { schema, url, route }: { schema: unknown; url: string; route: RouteOptions },
  names: Map<string, string>,
) => {
  const s: Json = { ...((schema as Json | undefined) ?? {}) };
  checkNames([s.body, s.response], names);
  const method = String(route.method);
  const codes = problemCodesOf(url, method, s);
  const headers = headersOf(s);
  if (headers) s.headers = headers;
  if (isJson(s.querystring)) s.querystring = defaultsOptional(s.querystring);
  const response: Json = { ...((s.response as Json | undefined) ?? {}) };
  for (const [status, r] of Object.entries(response)) response[status] = named(r);
  const produces = (s.produces as string[] | undefined) ?? [];
  if (produces.includes('text/event-stream') && !response[200]) {
    response[200] = { type: 'string', description: 'A stream of Server-Sent Events' };
  }
  s.response = response;
  if (isJson(s.body)) {
    if (bodyOptional(s.body)) s['x-optional-body'] = true;
    s.body = named(s.body);
  }
  s['x-problem-codes'] = codes;
  delete s.problems;
  delete s.reads;
  return { schema: s, url };
};

const problemResponses = (codes: readonly ErrorCode[]): Json => {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes)
    byStatus.set(ERROR_CODES[c].status, [...(byStatus.get(ERROR_CODES[c].status) ?? []), c]);
  const out: Json = {};
  for (const [status, list] of byStatus) {
    out[status] = {
      $ref: `#/components/responses/Problem${status}`,
      description: list.join(', '),
    };
  }
  return out;
};

/** `{ allOf: [{ $ref }] }` (a named schema at the top of a body or response) becomes the `$ref` itself. */
const unwrapNamed = (content: unknown): void => {
  if (!isJson(content)) return;
  for (const media of Object.values(content)) {
    if (!isJson(media) || !isJson(media.schema)) continue;
    const all = media.schema.allOf;
    if (Array.isArray(all) && all.length === 1 && Object.keys(media.schema).length === 1)
      media.schema = all[0];
  }
};

const finishOperation = (op: Json): void => {
  const body = op.requestBody;
  if (isJson(body)) {
    if (op['x-optional-body']) body.required = false;
    unwrapNamed(body.content);
  }
  delete op['x-optional-body'];
  const responses: Json = {};
  for (const [status, r] of Object.entries((op.responses as Json | undefined) ?? {})) {
    if (!isJson(r)) continue;
    unwrapNamed(r.content);
    if (r.description === 'Default Response') r.description = STATUS_TEXT[status] ?? 'Success';
    if (status === '200' && isJson(r.content) && r.content['text/event-stream']) {
      r.content = { 'text/event-stream': { schema: { type: 'string' } } };
    }
    responses[status] = r;
  }
  Object.assign(responses, problemResponses((op['x-problem-codes'] as ErrorCode[] | undefined) ?? []));
  op.responses = responses;
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The operations of a document's paths. */
const operationsOf = (doc: Json): Json[] =>
  Object.values((doc.paths as Json | undefined) ?? {}).flatMap((item) =>
    isJson(item) ? METHODS.map((m) => item[m]).filter(isJson) : [],
  );

/**
 * Finishes the document: operations get their problem responses, each a `$ref` to a shared
 * `Problem<status>` response whose description lists the codes most operations answer with that
 * status; an operation whose codes differ says so in its own description.
 */
const finishDocument = (doc: Json): Json => {
  const ops = operationsOf(doc);
  const seen = new Map<string, Map<string, number>>();
  for (const op of ops) {
    finishOperation(op);
    for (const [status, r] of Object.entries(op.responses as Json)) {
      if (!isJson(r) || typeof r.$ref !== 'string') continue;
      const counts = seen.get(status) ?? new Map<string, number>();
      counts.set(String(r.description), (counts.get(String(r.description)) ?? 0) + 1);
      seen.set(status, counts);
    }
  }
  const common = new Map<string, string>();
  const responses: Json = {};
  for (const [status, counts] of [...seen].sort(([a], [b]) => Number(a) - Number(b))) {
    const [codes] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [''];
    common.set(status, codes);
    responses[`Problem${status}`] = {
      description: `${STATUS_TEXT[status] ?? 'Problem'}: ${codes}`,
      content: { [PROBLEM_JSON]: { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  for (const op of ops) {
    for (const [status, r] of Object.entries(op.responses as Json)) {
      if (isJson(r) && typeof r.$ref === 'string' && r.description === common.get(status))
        delete r.description;
    }
  }
  doc.components = { ...((doc.components as Json | undefined) ?? {}), responses };
  return doc;
};

/** The document as one server serves it: this server first among the servers ("Try it out" calls it). */
const servedFrom = (doc: object, req: FastifyRequest): Json => ({
  ...doc,
  servers: [
    { url: `${req.protocol}://${req.host}`, description: 'This server' },
    ...(((doc as Json).servers as Json[] | undefined) ?? []).filter(
      (s) => s.url !== `${req.protocol}://${req.host}`,
    ),
  ],
});

/** Registers @fastify/swagger (with the transforms above), the docs UI at /docs and GET /openapi.json. */
export const registerOpenApi = async (app: FastifyInstance, opts: OpenApiOptions): Promise<void> => {
  const names = new Map<string, string>();
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Plaza API',
        version: opts.version,
        description: opts.description,
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'Plaza API documentation', url: 'http://127.0.0.1:9000/docs' },
      },
      servers: [
        { url: 'http://127.0.0.1:9000', description: 'A local Plaza (`npm start`); use your own base URL' },
      ],
      tags: [...opts.tags],
      components: { securitySchemes: opts.securitySchemes },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (json.$id as string) ?? `def-${i}` },
    transform: ((route: Parameters<typeof transformRoute>[0]) => transformRoute(route, names)) as never,
    transformObject: (documentObject) =>
      finishDocument((documentObject as { openapiObject: Json }).openapiObject),
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true },
    transformSpecification: (doc, req) => servedFrom(doc, req),
    transformSpecificationClone: false,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async (req) => servedFrom(app.swagger(), req));
};
