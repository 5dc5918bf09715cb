/**
 * Checks answers against the OpenAPI document the server serves: the status must be one the
 * operation declares, the content type one that response declares, and a JSON body must validate
 * (Ajv, JSON Schema 2020-12, formats included) against its schema.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, InjectOptions } from 'fastify';

type Json = Record<string, unknown>;

// ajv-formats is CommonJS: its default export is the module object under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

const pointerToken = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

interface Route {
  template: string;
  pattern: RegExp;
  params: number;
}

export interface ContractChecker {
  /** Problems with one answer (empty when it is what the document says). */
  check(
    method: string,
    path: string,
    status: number,
    contentType: string | undefined,
    body: string,
  ): string[];
  /** `METHOD template status` of every answer checked. */
  readonly seen: Set<string>;
}

export const contractChecker = (document: object): ContractChecker => {
  const doc = document as Json;
  const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const routes: Route[] = Object.keys(paths)
    .map((template) => ({
      template,
      pattern: new RegExp(
        `^${template
          .split(/\{[^}]+\}/)
          .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
          .join('[^/]+')}$`,
      ),
      params: (template.match(/\{/g) ?? []).length,
    }))
    .sort((a, b) => a.params - b.params);
  const compiled = new Map<string, ValidateFunction>();
  const validator = (pointer: string) => {
    let v = compiled.get(pointer);
    if (!v) {
      v = ajv.compile({ $ref: `openapi.json#${pointer}` });
      compiled.set(pointer, v);
    }
    return v;
  };
  const seen = new Set<string>();
  return {
    seen,
    check(method, path, status, contentType, body) {
      const m = method.toLowerCase();
      const route = routes.find((r) => r.pattern.test(path) && paths[r.template]?.[m]);
      // A path no operation has (an empty id: `/orders//cancel`) is ROUTE_NOT_FOUND, which is right.
      if (!route)
        return status === 404 ? [] : [`${method} ${path} → ${status}: no operation in the document`];
      const where = `${method} ${route.template} → ${status}`;
      seen.add(`${method.toUpperCase()} ${route.template} ${status}`);
      const responses = paths[route.template]?.[m]?.responses as Record<string, Json>;
      let response = responses[String(status)];
      let pointer = `/paths/${pointerToken(route.template)}/${m}/responses/${status}`;
      if (!response)
        return [`${where}: status not declared (declared: ${Object.keys(responses).join(', ')})`];
      if (typeof response.$ref === 'string') {
        pointer = response.$ref.slice(1);
        const name = pointer.split('/').at(-1) as string;
        response = ((doc.components as Json).responses as Record<string, Json>)[name] as Json;
      }
      const content = response.content as Record<string, Json> | undefined;
      if (!content) return body ? [`${where}: a body was sent, none is declared`] : [];
      const type = (contentType ?? '').split(';')[0]?.trim() ?? '';
      if (!content[type]) return [`${where}: content type ${type} not declared (${Object.keys(content)})`];
      if (!type.endsWith('json')) return [];
      const validate = validator(`${pointer}/content/${pointerToken(type)}/schema`);
      if (validate(JSON.parse(body))) return [];
      return (validate.errors ?? []).slice(0, 5).map((e) => `${where}: ${e.instancePath} ${e.message}`);
    },
  };
};

/**
 * Checks every answer the app gives to `app.inject` (how the in-process tests call it) against its
 * own OpenAPI document: the violations (which the test expects to stay empty) and what was seen.
 */
export const watchAnswers = async (
  app: FastifyInstance,
): Promise<{ violations: string[]; seen: Set<string> }> => {
  const checker = contractChecker((await app.inject('/openapi.json')).json());
  const violations: string[] = [];
  const inject = app.inject.bind(app);
  const watched = async (opts: string | InjectOptions) => {
    const o = typeof opts === 'string' ? { method: 'GET', url: opts } : opts;
    const res = await inject(o);
    const path = String(o.url ?? '/').split('?')[0] as string;
    const ct = res.headers['content-type'];
    if (path !== '/openapi.json' && !path.startsWith('/docs')) {
      violations.push(
        ...checker.check(
          String(o.method ?? 'GET'),
          path,
          res.statusCode,
          ct ? String(ct) : undefined,
          res.body,
        ),
      );
    }
    return res;
  };
  app.inject = watched as typeof app.inject;
  return { violations, seen: checker.seen };
};
