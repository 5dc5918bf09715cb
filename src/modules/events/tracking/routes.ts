/**
 * The Segment-compatible HTTP Tracking API under /v1 (docs/events.md): identify, track, page, screen,
 * group, alias (and analytics.js's short paths /v1/i, /t, /p, /s, /g, /a), batch (/v1/b, /v1/import),
 * and the settings document analytics.js loads. Answers are Segment's JSON, not problem documents.
 * A 200 means committed: the EventWriter's group commit resolves only after the insert.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../../../platform/db.ts';
import { ERROR_CODES, isPlazaError, type PlazaError } from '../../../platform/errors.ts';
import type { HttpApp } from '../../../platform/http/app.ts';
import { findBadText } from '../../../platform/http/input.ts';
import type { Deps } from '../../../platform/module.ts';
import { rateLimiter } from '../../../platform/rate-limit.ts';
import { type WriteKeySource, writeKeyResolver } from '../sources.ts';
import type { EventInput, EventType } from '../store.ts';
import { EventWriter } from '../writer.ts';
import { BATCH_LIMIT, BATCH_MAX_MESSAGES, type Decoded, decodeBody, MESSAGE_LIMIT, RawBody } from './body.ts';
import { type Ingest, type Refusal, toEvent } from './message.ts';
import { recordRefusals } from './refusals.ts';
import {
  SourceSettings,
  TrackingAccepted,
  TrackingBatch,
  TrackingError,
  TrackingMessage,
  trackingErrors,
} from './schemas.ts';
import { settingsDocument } from './settings.ts';

/** Bodies above these sizes are cut off while being read (the exact limits are checked after gunzip). */
const SINGLE_READ_LIMIT = 64 * 1024;
const BATCH_READ_LIMIT = 1024 * 1024;

type Code = keyof typeof ERROR_CODES;

/** A refused request, answered as `{ success: false, code, message }`. */
class TrackingFailure extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly extra: Record<string, unknown> = {},
    /** Seconds the client should wait (a Retry-After header), for RATE_LIMITED. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const send = (reply: FastifyReply, status: number, body: Record<string, unknown>) =>
  reply.code(status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);

const fail = (reply: FastifyReply, code: Code, message: string, extra: Record<string, unknown> = {}) =>
  send(reply, ERROR_CODES[code].status, { success: false, code, message, ...extra });

/** Every error of /v1 becomes a Segment-style answer; 5xx keep Retry-After so the SDKs retry. */
const errorHandler = (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
  if (err instanceof TrackingFailure) {
    if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
    return fail(reply, err.code, err.message, err.extra);
  }
  const fe = err as { code?: string; statusCode?: number; message?: string };
  if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const batch = /\/(batch|b|import)$/.test(req.url.split('?')[0] ?? '');
    return fail(reply, batch ? 'BATCH_TOO_LARGE' : 'MESSAGE_TOO_LARGE', 'The body is too large');
  }
  if (isPlazaError(err) && err.status === 503) return unavailable(reply, err);
  if (isDatabaseUnavailable(err)) {
    req.log.warn({ err }, 'events: the database is not available');
    reply.header('retry-after', '1');
    return fail(reply, 'SERVICE_UNAVAILABLE', 'The database is not available; retry shortly');
  }
  if (isPlazaError(err) && err.status < 500) return fail(reply, err.code, err.message);
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)
    return fail(reply, 'INVALID_JSON', fe.message ?? 'The request is not valid');
  req.log.error({ err, req }, 'unexpected error');
  return fail(reply, 'INTERNAL', 'An unexpected error occurred; it has been logged');
};

const unavailable = (reply: FastifyReply, err: PlazaError) => {
  const retry = err.details.retry_after_seconds;
  reply.header('retry-after', String(typeof retry === 'number' ? retry : 1));
  return fail(reply, err.code, err.message);
};

/** The write key: HTTP Basic user name (password empty), else `writeKey` in the body (or its first message). */
const writeKeyOf = (req: FastifyRequest, body: unknown): string | undefined => {
  const auth = req.headers.authorization;
  const basic = typeof auth === 'string' ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(auth) : null;
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const user = decoded.split(':')[0];
    if (user) return user;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.writeKey === 'string') return b.writeKey;
  const first = Array.isArray(b.batch) ? (b.batch[0] as Record<string, unknown> | undefined) : undefined;
  return typeof first?.writeKey === 'string' ? first.writeKey : undefined;
};

/** A batch body without its messages. */
const withoutBatch = (body: unknown): unknown => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { batch: _, ...rest } = body as Record<string, unknown>;
  return rest;
};

const SINGLE: { type: EventType; paths: string[]; id: string; summary: string }[] = [
  {
    type: 'identify',
    paths: ['/identify', '/i'],
    id: 'trackIdentify',
    summary: 'Identify a user and their traits',
  },
  { type: 'track', paths: ['/track', '/t'], id: 'trackEvent', summary: 'Record an action (track)' },
  { type: 'page', paths: ['/page', '/p'], id: 'trackPage', summary: 'Record a page view' },
  { type: 'screen', paths: ['/screen', '/s'], id: 'trackScreen', summary: 'Record an app screen view' },
  { type: 'group', paths: ['/group', '/g'], id: 'trackGroup', summary: 'Associate a user with a group' },
  {
    type: 'alias',
    paths: ['/alias', '/a'],
    id: 'trackAlias',
    summary: 'Associate a previous id with a userId',
  },
];

const BATCH_PATHS = [
  { path: '/batch', id: 'trackBatch', summary: 'Send several messages at once (500 KB, 2,500 messages)' },
  { path: '/import', id: 'trackImport', summary: 'Historical import: a batch whose timestamps are kept' },
  { path: '/b', id: undefined, summary: "analytics.js's batching path" },
];

/** Registers /v1 on the root app (eventsModule.rootRoutes). */
export const trackingRoutes = (app: HttpApp, deps: Deps): void => {
  const writer = new EventWriter(deps.db, deps.log, {
    flushMs: deps.config.events.flushMs,
    maxPending: deps.config.events.maxPending,
  });
  const resolveKey = writeKeyResolver(deps);
  const limiter = rateLimiter(deps);

  /** The request's source, its decoded body, and the ingestion context; throws the answer otherwise. */
  const open = async (
    req: FastifyRequest,
    limit: number,
    tooLarge: 'MESSAGE_TOO_LARGE' | 'BATCH_TOO_LARGE',
  ): Promise<{ source: WriteKeySource; value: unknown; ing: Ingest; size: number }> => {
    const receivedAt = deps.clock.now();
    const encoding = req.headers['content-encoding'];
    const decoded: Decoded = decodeBody(
      req.body,
      typeof encoding === 'string' ? encoding : undefined,
      limit,
      tooLarge,
    );
    const key = writeKeyOf(req, decoded.ok ? decoded.value : undefined);
    const source = key ? await resolveKey(key) : null;
    if (!decoded.ok) {
      if (source) {
        const raw = req.body instanceof RawBody ? req.body.bytes.subarray(0, 1000).toString('utf8') : '';
        await recordRefusals(deps.db, source, receivedAt, [
          {
            index: 0,
            code: decoded.code === 'INVALID_JSON' ? 'INVALID_MESSAGE' : 'MESSAGE_TOO_LARGE',
            reason: decoded.code.toLowerCase(),
            message: decoded.message,
            messageId: null,
            type: null,
            userId: null,
            anonymousId: null,
            excerpt: raw.replaceAll('\u0000', '\uFFFD'),
          },
        ]);
      }
      throw new TrackingFailure(decoded.code, decoded.message);
    }
    // Text PostgreSQL cannot store is refused before the key is judged, as everywhere in Plaza: the
    // whole of a single call, a batch's envelope (its messages are judged one by one later).
    const envelope = tooLarge === 'BATCH_TOO_LARGE' ? withoutBatch(decoded.value) : decoded.value;
    const bad = findBadText(envelope, 'body');
    if (bad)
      throw new TrackingFailure('INVALID_MESSAGE', `${bad.path} ${bad.message}`, { reason: 'invalid_text' });
    if (!source) {
      throw new TrackingFailure(
        'INVALID_WRITE_KEY',
        key
          ? 'The write key is unknown, revoked or expired'
          : 'A write key is required (HTTP Basic user name or writeKey)',
      );
    }
    // per write key, generous by default (PLAZA_LIMIT_INGEST_PER_WRITE_KEY): a runaway source, not a busy one
    const verdict = await limiter.hit([{ name: 'ingestPerWriteKey', subject: `write-key:${source.keyId}` }]);
    if (!verdict.allowed) {
      throw new TrackingFailure(
        'RATE_LIMITED',
        'Too many requests for this write key; retry after the time in Retry-After',
        {},
        verdict.retryAfterSeconds,
      );
    }
    const b = decoded.value as Record<string, unknown> | null;
    const isObj = typeof b === 'object' && b !== null && !Array.isArray(b);
    const ing: Ingest = {
      source,
      receivedAt,
      requestIp: req.ip,
      ipMode: deps.config.events.ipMode,
      sentAt: isObj ? b.sentAt : undefined,
      context: isObj && tooLarge === 'BATCH_TOO_LARGE' ? b.context : undefined,
    };
    return { source, value: decoded.value, ing, size: decoded.size };
  };

  app.register(
    async (v1) => {
      v1.removeAllContentTypeParsers();
      v1.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => {
        done(null, new RawBody(body as Buffer));
      });
      v1.setErrorHandler(errorHandler);
      v1.setNotFoundHandler((req, reply) =>
        fail(reply, 'ROUTE_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`),
      );
      v1.addHook('onClose', async () => writer.close());
      const documentOnly = { validatorCompiler: () => () => true };

      for (const s of SINGLE) {
        for (const path of s.paths) {
          v1.post(
            path,
            {
              ...documentOnly,
              bodyLimit: SINGLE_READ_LIMIT,
              schema: {
                hide: path.length === 2,
                operationId: s.id,
                tags: ['tracking'],
                summary: s.summary,
                description: `Segment's ${s.type} call. Write key as the HTTP Basic user name (empty password) or \`writeKey\` in the body; any content type (text/plain too). Short path: /v1${s.paths[1]}.`,
                body: TrackingMessage,
                response: { 200: TrackingAccepted, ...trackingErrors },
              },
            },
            async (req, reply) => {
              const { source, value, ing, size } = await open(req, MESSAGE_LIMIT, 'MESSAGE_TOO_LARGE');
              const r = toEvent(value, s.type, ing, 0, size);
              if (!r.ok) {
                await recordRefusals(deps.db, source, ing.receivedAt, [r.refusal]);
                return fail(reply, r.refusal.code, r.refusal.message, { reason: r.refusal.reason });
              }
              await writer.write([r.row]);
              return send(reply, 200, { success: true });
            },
          );
        }
      }

      for (const b of BATCH_PATHS) {
        v1.post(
          b.path,
          {
            ...documentOnly,
            bodyLimit: BATCH_READ_LIMIT,
            schema: {
              hide: b.id === undefined,
              ...(b.id ? { operationId: b.id } : {}),
              tags: ['tracking'],
              summary: b.summary,
              description:
                'Each message is checked alone: one that breaks the spec is refused (listed in `refused`, kept for the debugger) and the others are stored.',
              body: TrackingBatch,
              response: { 200: TrackingAccepted, ...trackingErrors },
            },
          },
          async (req, reply) => {
            const { source, value, ing, size } = await open(req, BATCH_LIMIT, 'BATCH_TOO_LARGE');
            // A body within 32 KB holds no message over 32 KB: no message needs measuring.
            const bound = size <= MESSAGE_LIMIT ? size : undefined;
            const list = (value as { batch?: unknown } | null)?.batch;
            if (!Array.isArray(list))
              throw new TrackingFailure('INVALID_MESSAGE', 'The body needs a `batch` array', {
                reason: 'no_batch',
              });
            const rows: EventInput[] = [];
            const refused: Refusal[] = [];
            list.forEach((m, i) => {
              if (i >= BATCH_MAX_MESSAGES) {
                refused.push({
                  index: i,
                  code: 'INVALID_MESSAGE',
                  reason: 'batch_limit',
                  message: `a batch holds at most ${BATCH_MAX_MESSAGES} messages`,
                  messageId: null,
                  type: null,
                  userId: null,
                  anonymousId: null,
                  excerpt: '',
                });
                return;
              }
              const r = toEvent(m, undefined, ing, i, bound);
              if (r.ok) rows.push(r.row);
              else refused.push(r.refusal);
            });
            await Promise.all([writer.write(rows), recordRefusals(deps.db, source, ing.receivedAt, refused)]);
            if (refused.length === 0) return send(reply, 200, { success: true });
            return send(reply, 200, {
              success: true,
              accepted: rows.length,
              refused: refused.map((r) => ({
                index: r.index,
                messageId: r.messageId,
                code: r.code,
                reason: r.reason,
                message: r.message,
              })),
            });
          },
        );
      }

      v1.get(
        '/projects/:writeKey/settings',
        {
          ...documentOnly,
          schema: {
            operationId: 'getTrackingSettings',
            tags: ['tracking'],
            summary: 'The settings document analytics.js loads (cdnURL pointed at Plaza)',
            params: {
              type: 'object',
              properties: { writeKey: { type: 'string', maxLength: 100 } },
              required: ['writeKey'],
            },
            response: { 200: SourceSettings, ...trackingErrors, 404: TrackingError },
          },
        },
        async (req, reply) => {
          const { writeKey } = req.params as { writeKey: string };
          const source = await resolveKey(writeKey);
          if (!source)
            throw new TrackingFailure('INVALID_WRITE_KEY', 'The write key is unknown, revoked or expired');
          reply.header('cache-control', 'public, max-age=60');
          return send(reply, 200, settingsDocument(writeKey, `${req.host}/v1`, req.protocol));
        },
      );

      // analytics.js's own delivery metrics (sampleRate 0 in the settings keeps them off): acknowledged, not kept.
      v1.post('/m', { schema: { hide: true } }, async (_req, reply) => send(reply, 200, { success: true }));
    },
    { prefix: '/v1' },
  );
};
