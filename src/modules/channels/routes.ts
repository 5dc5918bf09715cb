import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireChannel } from '../../platform/http/auth.ts';
import { cursorId, IdParams, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import * as repo from './repo.ts';
import {
  Channel,
  ChannelKey,
  CreateChannelBody,
  CreateKeyBody,
  KeyParams,
  ListChannelsQuery,
  PublicChannel,
  UpdateChannelBody,
} from './schema.ts';
import { createChannel, createKey, getChannelOrThrow, revokeKey, updateChannel } from './service.ts';

const tags = ['channels'];
const security = [{ adminToken: [] }];

export const channelAdminRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/channels',
    {
      schema: {
        operationId: 'createAdminChannel',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Create a channel',
        body: CreateChannelBody,
        response: { 201: Channel },
      },
    },
    async (req, reply) =>
      reply.code(201).send(repo.channelToApi(await deps.db.tx((tx) => createChannel(tx, deps, req.body)))),
  );

  app.get(
    '/channels',
    {
      schema: {
        operationId: 'listAdminChannels',
        tags,
        security,
        summary: 'List channels',
        querystring: ListChannelsQuery,
        response: { 200: Page(Channel) },
      },
    },
    async (req) => {
      const rows = await repo.listChannels(deps.db, {
        type: req.query.type,
        after: cursorId(req.query.cursor),
        limit: req.query.limit + 1,
      });
      return toPage(rows, req.query.limit, repo.channelToApi);
    },
  );

  app.get(
    '/channels/:id',
    {
      schema: {
        operationId: 'getAdminChannel',
        tags,
        security,
        summary: 'Get a channel',
        params: IdParams('chn'),
        response: { 200: Channel },
      },
    },
    async (req) => repo.channelToApi(await getChannelOrThrow(deps.db, req.params.id)),
  );

  app.patch(
    '/channels/:id',
    {
      schema: {
        operationId: 'updateAdminChannel',
        tags,
        security,
        summary: 'Update a channel (name, currency, locale; the type is fixed)',
        params: IdParams('chn'),
        body: UpdateChannelBody,
        response: { 200: Channel },
      },
    },
    async (req) =>
      repo.channelToApi(await deps.db.tx((tx) => updateChannel(tx, deps, req.params.id, req.body))),
  );

  app.post(
    '/channels/:id/keys',
    {
      schema: {
        operationId: 'createAdminChannelKey',
        tags,
        security,
        summary: 'Issue a publishable key for the channel',
        params: IdParams('chn'),
        body: Type.Optional(CreateKeyBody),
        response: { 201: ChannelKey },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(repo.keyToApi(await deps.db.tx((tx) => createKey(tx, deps, req.params.id, req.body?.name)))),
  );

  app.get(
    '/channels/:id/keys',
    {
      schema: {
        operationId: 'listAdminChannelKeys',
        tags,
        security,
        summary: "List the channel's publishable keys",
        params: IdParams('chn'),
        response: { 200: Type.Object({ data: Type.Array(ChannelKey) }) },
      },
    },
    async (req) => {
      await getChannelOrThrow(deps.db, req.params.id);
      return { data: (await repo.listKeys(deps.db, req.params.id)).map(repo.keyToApi) };
    },
  );

  app.delete(
    '/channels/:id/keys/:keyId',
    {
      schema: {
        operationId: 'revokeAdminChannelKey',
        tags,
        security,
        summary: 'Revoke a publishable key (refused from the next request on)',
        params: KeyParams,
        response: { 200: ChannelKey },
      },
    },
    async (req) =>
      repo.keyToApi(await deps.db.tx((tx) => revokeKey(tx, deps, req.params.id, req.params.keyId))),
  );
};

export const channelStoreRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/channel',
    {
      schema: {
        operationId: 'getStoreChannel',
        tags: ['store'],
        security: [{ channelKey: [] }],
        summary: 'The channel this publishable key belongs to',
        response: { 200: PublicChannel },
      },
    },
    async (req) => {
      const c = await getChannelOrThrow(deps.db, requireChannel(req).channelId);
      return { id: c.id, type: c.type, name: c.name, currency: c.currency, locale: c.locale };
    },
  );
};
