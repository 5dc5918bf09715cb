/** The operations of /openapi.json as the authorization matrix needs them. */
import type { TestApp } from '../support/app.ts';
import type { Param, Schema } from '../support/hostile.ts';

export interface AuthzOp {
  method: string;
  path: string;
  operationId: string;
  params: Param[];
  body: Schema | undefined;
  /** Declared media types of the body (a JSON body is sampled; others are sent empty). */
  json: boolean;
  /** Server-Sent Events: the stream stays open, so only refusals are asked for. */
  stream: boolean;
}

interface DocOperation {
  operationId?: string;
  parameters?: Param[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The schema with every `$ref` to a component replaced by the component (cycles cut at depth 12). */
const deref = (s: unknown, named: Record<string, unknown>, depth = 0): unknown => {
  if (depth > 12) return {};
  if (Array.isArray(s)) return s.map((x) => deref(x, named, depth + 1));
  if (!s || typeof s !== 'object') return s;
  const o = s as Record<string, unknown>;
  if (typeof o.$ref === 'string') return deref(named[o.$ref.split('/').at(-1) ?? ''], named, depth + 1);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, deref(v, named, depth + 1)]));
};

/** Every operation of the document, in document order. */
export const operationsOf = async (t: TestApp): Promise<AuthzOp[]> => {
  const doc = (await t.app.inject('/openapi.json')).json() as {
    paths: Record<string, Record<string, DocOperation>>;
    components?: { schemas?: Record<string, unknown> };
  };
  const named = doc.components?.schemas ?? {};
  const ops: AuthzOp[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      ops.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId ?? `${method} ${path}`,
        params: op.parameters ?? [],
        body: deref(content['application/json']?.schema, named) as Schema | undefined,
        json: 'application/json' in content,
        stream: Boolean(op.responses?.['200']?.content?.['text/event-stream']),
      });
    }
  }
  return ops;
};

/**
 * Every route the server answers, as `METHOD /path` with `{param}` (HEAD and OPTIONS left out), read from
 * Fastify's route tree: it holds the routes /openapi.json hides too.
 */
export const servedRoutes = (t: TestApp): string[] => {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of t.app.printRoutes().split('\n')) {
    const at = line.search(/[├└]── /); // a node of the radix tree: its segment, and its methods if a route
    if (at < 0) continue;
    const rest = line.slice(at + 4);
    const m = /^(.*?) \(([A-Z, ]+)\)/.exec(rest);
    stack.length = at / 4;
    const key = m?.[1] ?? rest;
    stack.push(key === '(empty root node)' ? '' : key);
    const path = stack.join('').replace(/:([A-Za-z_]\w*)/g, '{$1}');
    for (const method of m?.[2]?.split(', ') ?? []) {
      if (method !== 'HEAD' && method !== 'OPTIONS') out.push(`${method} ${path}`);
    }
  }
  return [...new Set(out)];
};
