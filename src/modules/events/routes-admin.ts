/** /admin/event-sources: sources, their write keys, the POS's key and the live debugger (docs/event-sources.md). */
import { Type } from '@sinclair/typebox';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { cursorId, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { DebuggerPage, DebuggerQuery, debuggerPage } from './debugger.ts';
import {
  archiveSource,
  createSource,
  createWriteKey,
  getSourceOrThrow,
  revokeWriteKey,
  rotateWriteKey,
  updateSource,
} from './sources.ts';
import * as repo from './sources-repo.ts';
import {
  ChannelWriteKey,
  ChannelWriteKeyQuery,
  CreateEventSourceBody,
  EventSource,
  EventWriteKey,
  keyToApi,
  ListEventSourcesQuery,
  RotatedWriteKey,
  RotateWriteKeyBody,
  SourceParams,
  sourceToApi,
  UpdateEventSourceBody,
  WriteKeyParams,
} from './sources-schema.ts';

const tags = ['event sources'];
const security = [{ adminToken: [] }];

export const eventSourceRoutes = (app: HttpApp, deps: Deps): void => {
  const withKeys = async (q: Deps['db'], row: repo.SourceRow) =>
    sourceToApi(row, await repo.listKeys(q, row.id), deps.clock.now());

  app.get(
    '/event-sources',
    {
      schema: {
        operationId: 'listAdminEventSources',
        tags,
        security,
        summary: 'Event sources with their write keys, by id; archived ones only with `include_archived`',
        querystring: ListEventSourcesQuery,
        response: { 200: Page(EventSource) },
      },
    },
    async (req) => {
      const rows = await repo.listSources(deps.db, {
        kind: req.query.kind,
        channelId: req.query.channel_id,
        archived: req.query.include_archived,
        after: cursorId(req.query.cursor),
        limit: req.query.limit + 1,
      });
      const page = rows.slice(0, req.query.limit);
      const keys = await repo.keysOfSources(
        deps.db,
        page.map((r) => r.id),
      );
      const now = deps.clock.now();
      return toPage(rows, req.query.limit, (r) =>
        sourceToApi(
          r,
          keys.filter((k) => k.source_id === r.id),
          now,
        ),
      );
    },
  );

  app.post(
    '/event-sources',
    {
      schema: {
        operationId: 'createAdminEventSource',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary:
          'Create an event source (a web shop, app, POS or server integration); then issue it a write key',
        body: CreateEventSourceBody,
        response: { 201: EventSource },
      },
    },
    async (req, reply) => {
      const row = await deps.db.tx((tx) =>
        createSource(tx, deps, {
          name: req.body.name,
          kind: req.body.kind,
          channelId: req.body.channel_id ?? null,
          retentionMonths: req.body.retention_months,
        }),
      );
      return reply.code(201).send(sourceToApi(row, [], deps.clock.now()));
    },
  );

  app.get(
    '/event-sources/write-key',
    {
      config: { staff: true },
      schema: {
        operationId: 'getAdminChannelWriteKey',
        tags,
        security,
        summary:
          "The newest active write key of a channel's source of that kind (`pos` by default): what a till loads analytics.js with",
        querystring: ChannelWriteKeyQuery,
        response: { 200: ChannelWriteKey },
        problems: ['NOT_FOUND'],
      },
    },
    async (req) => {
      const k = await repo.newestChannelKey(deps.db, req.query.channel_id, req.query.kind, deps.clock.now());
      if (!k) throw notFound(`A write key of a ${req.query.kind} source of channel`, req.query.channel_id);
      return {
        key: k.key,
        key_id: k.id,
        source_id: k.source_id,
        source_name: k.source_name,
        channel_id: req.query.channel_id,
      };
    },
  );

  app.get(
    '/event-sources/:id',
    {
      schema: {
        operationId: 'getAdminEventSource',
        tags,
        security,
        summary: 'An event source with its write keys',
        params: SourceParams,
        response: { 200: EventSource },
      },
    },
    async (req) => withKeys(deps.db, await getSourceOrThrow(deps.db, req.params.id)),
  );

  app.patch(
    '/event-sources/:id',
    {
      schema: {
        operationId: 'updateAdminEventSource',
        problems: ['ALREADY_EXISTS', 'INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary:
          'Rename a source or change its retention (applies to events received from now on; stored events keep theirs)',
        params: SourceParams,
        body: UpdateEventSourceBody,
        response: { 200: EventSource },
      },
    },
    async (req) => {
      const row = await deps.db.tx((tx) =>
        updateSource(tx, deps, req.params.id, {
          name: req.body.name,
          retentionMonths: req.body.retention_months,
        }),
      );
      return withKeys(deps.db, row);
    },
  );

  app.post(
    '/event-sources/:id/archive',
    {
      schema: {
        operationId: 'archiveAdminEventSource',
        tags,
        security,
        summary:
          'Archive a source: its write keys are refused at once; its events stay until their retention ends',
        params: SourceParams,
        response: { 200: EventSource },
      },
    },
    async (req) => withKeys(deps.db, await deps.db.tx((tx) => archiveSource(tx, deps, req.params.id))),
  );

  app.post(
    '/event-sources/:id/write-keys',
    {
      schema: {
        operationId: 'createAdminEventWriteKey',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Issue a write key for the source (public, like Segment’s: it goes into browsers and apps)',
        params: SourceParams,
        response: { 201: EventWriteKey },
      },
    },
    async (req, reply) => {
      const row = await deps.db.tx((tx) => createWriteKey(tx, deps, req.params.id));
      return reply.code(201).send(keyToApi(row, deps.clock.now()));
    },
  );

  app.post(
    '/event-sources/:id/write-keys/:keyId/rotate',
    {
      schema: {
        operationId: 'rotateAdminEventWriteKey',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary:
          'Issue a new key; the old one keeps working for `grace_hours` (24 by default), then is refused',
        params: WriteKeyParams,
        body: Type.Optional(RotateWriteKeyBody),
        response: { 201: RotatedWriteKey },
      },
    },
    async (req, reply) => {
      const r = await deps.db.tx((tx) =>
        rotateWriteKey(tx, deps, req.params.id, req.params.keyId, req.body?.grace_hours),
      );
      const now = deps.clock.now();
      return reply.code(201).send({ key: keyToApi(r.key, now), previous: keyToApi(r.previous, now) });
    },
  );

  app.delete(
    '/event-sources/:id/write-keys/:keyId',
    {
      schema: {
        operationId: 'revokeAdminEventWriteKey',
        tags,
        security,
        summary: 'Revoke a write key: refused from the next request on, in every process',
        params: WriteKeyParams,
        response: { 200: EventWriteKey },
      },
    },
    async (req) =>
      keyToApi(
        await deps.db.tx((tx) => revokeWriteKey(tx, deps, req.params.id, req.params.keyId)),
        deps.clock.now(),
      ),
  );

  app.get(
    '/event-sources/:id/debugger',
    {
      schema: {
        operationId: 'getAdminEventDebugger',
        tags,
        security,
        summary:
          'The newest events and refusals of a source since `after` (poll about every second with the returned cursor)',
        params: SourceParams,
        querystring: DebuggerQuery,
        response: { 200: DebuggerPage },
      },
    },
    async (req) => {
      await getSourceOrThrow(deps.db, req.params.id);
      return debuggerPage(deps.db, req.params.id, { after: req.query.after, limit: req.query.limit });
    },
  );
};
