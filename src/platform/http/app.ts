import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { TrustProxy } from '../config.ts';
import type { Db } from '../db.ts';
import { PlazaError } from '../errors.ts';
import { ulid } from '../ids.ts';
import { type Logger, requestForLog } from '../log.ts';
import { cachedCompilers } from './compilers.ts';
import { registerCors } from './cors.ts';
import { homePage } from './home.ts';
import { installInputGuards } from './input.ts';
import { registerOpenApi } from './openapi.ts';
import { errorHandler, frameworkErrorHandler, notFoundHandler } from './problem.ts';
import { Obj, Problem } from './schemas.ts';
import { registerSecurityHeaders } from './security-headers.ts';

/** The Fastify instance with TypeBox types: handlers see the types inferred from their schemas. */
export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface HttpAppOptions {
  logger: Logger;
  db: Db;
  version: string;
  description: string;
  /** Which proxies' X-Forwarded-For sets `request.ip` (PLAZA_TRUST_PROXY); default none. */
  trustProxy?: TrustProxy;
  /** Largest accepted request body in bytes (default 1 MiB); routes may set a smaller or larger one. */
  bodyLimit?: number;
  /** Largest request head in bytes (Node's maxHeaderSize; default 16 KiB): more is answered 431. */
  maxHeaderSize?: number;
  /** Time a client has to send the request head (default 10 s) and the whole request (300 s): then 408. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Seconds of Strict-Transport-Security; 0 (default) sends none (security-headers.ts). */
  hstsMaxAge?: number;
  /** Browser origins allowed on /admin (CORS); default none. /store answers every origin. */
  adminOrigins?: readonly string[];
  /** OpenAPI tags with their descriptions (the modules' `tags`). */
  tags?: readonly { name: string; description: string }[];
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export const SECURITY_SCHEMES = {
  adminToken: { type: 'http', scheme: 'bearer', description: 'Admin or staff token (`plz_at_…`) on /admin' },
  channelKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-plaza-channel-key',
    description: 'Publishable key of a channel (`pk_…`), required on every /store request',
  },
  customerToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'Customer token (`plz_ct_…`) from POST /store/auth/token',
  },
} as const;

/**
 * The HTTP shell shared by every module: strict schema validation, problem+json errors,
 * request ids in logs, OpenAPI 3.1 at /openapi.json with docs at /docs, /health and /ready.
 */
export const createHttpApp = async (opts: HttpAppOptions): Promise<HttpApp> => {
  const app = Fastify({
    loggerInstance: opts.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 1_048_576,
    // Slow clients and oversized heads (docs/configuration.md#abuse-limits): Node answers 431 to a head
    // over maxHeaderSize and 408 to a client that has not sent its head (or its whole request) in time,
    // checked every 2 s (Node's default is every 30 s).
    requestTimeout: opts.requestTimeoutMs ?? 300_000,
    http: {
      maxHeaderSize: opts.maxHeaderSize ?? 16_384,
      headersTimeout: opts.headersTimeoutMs ?? 10_000,
      requestTimeout: opts.requestTimeoutMs ?? 300_000,
      connectionsCheckingInterval: 2000,
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req_${ulid()}`;
    },
    trustProxy: opts.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A malformed or overlong URL (`%ED%A0%80`, a 101-character id) is a problem document like any error.
    frameworkErrors: frameworkErrorHandler,
    // strictNumbers off: with it Ajv skips minimum/maximum for a value coerced to Infinity (`?limit=1e309`);
    // the input guards bound every number instead (see input.ts).
    schemaController: { compilersFactory: cachedCompilers },
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        strictNumbers: false,
        // `type: [number, string, …]` is how a value keeps its JSON type under coerceTypes (segment rules).
        allowUnionTypes: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpApp;

  installInputGuards(app);
  // The API speaks JSON only: a text/plain body is refused with UNSUPPORTED_MEDIA_TYPE.
  app.removeContentTypeParser('text/plain');
  // An empty body sent as JSON (clients that always set the content type) is no body at all.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body.toString();
    if (text === '') done(null, undefined);
    else json(req, text, done);
  });
  app.decorateRequest('admin', null);
  app.decorateRequest('channel', null);
  app.decorateRequest('customer', null);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  registerSecurityHeaders(app, { hstsMaxAge: opts.hstsMaxAge ?? 0 });
  // A POST without a body is an empty object: routes whose body fields are all optional accept it.
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && req.routeOptions.schema?.body) req.body = {};
  });
  app.addHook('onResponse', async (req, reply) => {
    // the one request serializer: secrets and personal values in the URL are redacted (log.ts)
    req.log.info(
      {
        ...requestForLog(req),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  await registerCors(app, { adminOrigins: opts.adminOrigins ?? [] });
  app.addSchema(Problem);

  await registerOpenApi(app, {
    version: opts.version,
    description: opts.description,
    securitySchemes: SECURITY_SCHEMES,
    tags: [{ name: 'system', description: 'Liveness and readiness of this process' }, ...(opts.tags ?? [])],
  });
  app.get('/', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(homePage(opts.version)),
  );

  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['system'],
        summary: 'Liveness: the process is up',
        response: { 200: Obj({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        operationId: 'getReadiness',
        tags: ['system'],
        summary: 'Readiness: the database answers',
        response: { 200: Obj({ status: Type.Literal('ready'), database: Type.String() }) },
      },
    },
    async () => {
      try {
        await Promise.race([
          opts.db.query('SELECT 1'),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
        ]);
      } catch {
        throw new PlazaError('SERVICE_UNAVAILABLE', 'The database does not answer', {
          retry_after_seconds: 1,
        });
      }
      return { status: 'ready' as const, database: opts.db.kind };
    },
  );
  return app;
};
