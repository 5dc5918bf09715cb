/**
 * A small typed client for the Plaza API: openapi-fetch over the types generated from Plaza's
 * OpenAPI document (`schema.ts`, made by `npm run client:generate`). Every path, parameter, body and
 * answer is typed; the channel key and a token are sent for you.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema.ts';

export type { components, operations, paths } from './schema.ts';

/** An RFC 9457 problem document with Plaza's stable `code` (see docs/errors.md). */
export type Problem = components['schemas']['Problem'];

export interface PlazaClientOptions {
  /** Where Plaza answers, such as `https://api.example.com` or `http://127.0.0.1:9000`. */
  baseUrl: string;
  /** Publishable key of a channel (`pk_…`), sent as `x-plaza-channel-key` on /store requests. */
  channelKey?: string;
  /** Customer token (`plz_ct_…`, on /store) or admin or staff token (`plz_at_…`, on /admin). */
  token?: string;
  /** This device's stable id before login (`x-plaza-anonymous-id` on /store), linked to the customer at login. */
  anonymousId?: string;
  /** Another fetch (tests, server-side rendering); defaults to the global fetch. */
  fetch?: ClientOptions['fetch'];
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

export type PlazaClient = Client<paths> & {
  /** Sends this token from now on (after a login), or none (after a logout). */
  setToken(token: string | undefined): void;
};

/** A typed client: `client.GET('/store/products', { params: { query: { q: 'tee' } } })`. */
export const createPlazaClient = (opts: PlazaClientOptions): PlazaClient => {
  const client = createClient<paths>({
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.headers ? { headers: opts.headers } : {}),
  });
  let token = opts.token;
  client.use({
    onRequest({ request, schemaPath }) {
      const store = schemaPath.startsWith('/store/');
      if (store && opts.channelKey && !request.headers.has('x-plaza-channel-key')) {
        request.headers.set('x-plaza-channel-key', opts.channelKey);
      }
      if (store && opts.anonymousId && !request.headers.has('x-plaza-anonymous-id')) {
        request.headers.set('x-plaza-anonymous-id', opts.anonymousId);
      }
      if (token && !request.headers.has('authorization'))
        request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  });
  return Object.assign(client, {
    setToken(next: string | undefined) {
      token = next;
    },
  });
};

/** A fresh Idempotency-Key for one operation (keep it to retry that same operation). */
export const newIdempotencyKey = (): string => globalThis.crypto.randomUUID();

/** A Plaza error answer, thrown by `unwrap`. */
export class PlazaProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'PlazaProblemError';
    this.status = status;
    this.code = problem?.code ?? 'UNKNOWN';
    this.problem = problem;
  }
}

const isProblem = (v: unknown): v is Problem =>
  typeof v === 'object' && v !== null && typeof (v as { code?: unknown }).code === 'string';

/** The data of a successful answer; throws PlazaProblemError with the problem document otherwise. */
export const unwrap = async <D>(
  call: Promise<{ data?: D; error?: unknown; response: Response }>,
): Promise<D> => {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) {
    throw new PlazaProblemError(response.status, isProblem(error) ? error : undefined);
  }
  return data as D;
};
