/**
 * The UI's way to the Plaza API: the typed client generated from Plaza's own OpenAPI document
 * (`client/`), plus one error type for problem+json answers and a TanStack Query client.
 */
import { createPlazaClient, type PlazaClient, type Problem } from '@plaza/client';
import { QueryClient } from '@tanstack/react-query';

export type { components, PlazaClient, Problem } from '@plaza/client';

/** A refused or failed request: the problem document Plaza answered (or one made up for a network failure). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
  get code(): string {
    return this.problem.code;
  }
  /** The message of one field (`body.email`), for showing next to it. */
  fieldError(path: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === path || e.path.endsWith(`.${path}`))?.message;
  }
}

const isProblem = (v: unknown): v is Problem =>
  typeof v === 'object' && v !== null && typeof (v as { code?: unknown }).code === 'string';

/** What openapi-fetch answers: `data` on success, `error` otherwise. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of a successful answer, or an ApiError carrying the problem document.
 * `await unwrap(api.GET('/admin/orders', { params }))`.
 */
export const unwrap = async <T>(call: Promise<FetchResult<T>>): Promise<T> => {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (e) {
    throw new ApiError(0, {
      type: 'urn:plaza:error:network',
      title: 'Network error',
      status: 0,
      code: 'NETWORK_ERROR',
      detail: e instanceof Error ? e.message : String(e),
    });
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const problem: Problem = isProblem(error)
    ? error
    : {
        type: 'about:blank',
        title: response.statusText || 'Error',
        status: response.status,
        code: response.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'UNKNOWN',
      };
  throw new ApiError(response.status, problem);
};

export interface ApiOptions {
  /** Publishable channel key for /store calls (the shop). */
  channelKey?: string;
  /** A customer token for /store calls. */
  token?: string;
  /** Returns the CSRF token of the staff session (console and POS), sent on state-changing /admin calls. */
  csrf?: () => string | undefined;
  /** Called on every 401, so the app can send the user to its login and back. */
  onUnauthorized?: () => void;
  anonymousId?: string;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A typed client on this page's origin. Staff apps rely on the session cookie (same origin, credentials included). */
export const createApi = (opts: ApiOptions = {}): PlazaClient => {
  const client = createPlazaClient({
    baseUrl: window.location.origin,
    ...(opts.channelKey ? { channelKey: opts.channelKey } : {}),
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.anonymousId ? { anonymousId: opts.anonymousId } : {}),
  });
  client.use({
    onRequest({ request }) {
      const csrf = opts.csrf?.();
      if (csrf && UNSAFE.has(request.method)) request.headers.set('x-plaza-csrf', csrf);
      return request;
    },
    onResponse({ response, schemaPath }) {
      if (response.status === 401 && !schemaPath.startsWith('/admin/auth/')) opts.onUnauthorized?.();
      return response;
    },
  });
  return client;
};

/** Query defaults: no retry of refusals (4xx), a few retries of network failures and 503s. */
export const createQueryClient = (): QueryClient =>
  new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        retry: (count, err) =>
          err instanceof ApiError && err.status >= 400 && err.status < 500 ? false : count < 2,
      },
      mutations: { retry: false },
    },
  });

/** A stable id of this browser before login (`x-plaza-anonymous-id`), kept in localStorage. */
export const anonymousId = (): string => {
  const key = 'plaza.anonymous_id';
  let id = localStorage.getItem(key);
  if (!id) {
    id = `anon_${crypto.randomUUID().replaceAll('-', '')}`;
    localStorage.setItem(key, id);
  }
  return id;
};

/** After a logout: the next visitor on this device gets a new anonymous id. */
export const forgetAnonymousId = (): void => localStorage.removeItem('plaza.anonymous_id');

/** The content of `<meta name="…">` in the page (the server writes the shop's channel key there). */
export const metaContent = (name: string): string | undefined =>
  document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content || undefined;
