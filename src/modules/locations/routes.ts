import type { HttpApp } from '../../platform/http/app.ts';
import { assertLocationAccess, requireAdmin } from '../../platform/http/auth.ts';
import { cursorId, IdParams, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import * as repo from './repo.ts';
import {
  ChannelLocations,
  CreateLocationBody,
  ListLocationsQuery,
  Location,
  SetChannelLocationsBody,
  UpdateLocationBody,
} from './schema.ts';
import {
  channelLocations,
  createLocation,
  deleteLocation,
  getLocationOrThrow,
  setChannelLocations,
  updateLocation,
} from './service.ts';

const tags = ['locations'];
const security = [{ adminToken: [] }];

const channelLocationsToApi = (channelId: string, rows: repo.FulfilmentLocation[]): ChannelLocations => ({
  channel_id: channelId,
  locations: rows.map((r) => ({ priority: r.priority, location: repo.locationToApi(r) })),
});

export const locationAdminRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/locations',
    {
      schema: {
        operationId: 'createAdminLocation',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Create a location (warehouse or store)',
        body: CreateLocationBody,
        response: { 201: Location },
      },
    },
    async (req, reply) =>
      reply.code(201).send(repo.locationToApi(await deps.db.tx((tx) => createLocation(tx, deps, req.body)))),
  );

  app.get(
    '/locations',
    {
      config: { staff: true },
      schema: {
        operationId: 'listAdminLocations',
        tags,
        security,
        summary: 'List locations (staff tokens see their own)',
        querystring: ListLocationsQuery,
        response: { 200: Page(Location) },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const { limit, cursor, ...filter } = req.query;
      const rows = await repo.listLocations(deps.db, {
        ...filter,
        ids: admin.scope === 'staff' ? admin.locationIds : undefined,
        after: cursorId(cursor),
        limit: limit + 1,
      });
      return toPage(rows, limit, repo.locationToApi);
    },
  );

  app.get(
    '/locations/:id',
    {
      config: { staff: true },
      schema: {
        operationId: 'getAdminLocation',
        tags,
        security,
        summary: 'Get a location (staff tokens: their own)',
        params: IdParams('loc'),
        response: { 200: Location },
      },
    },
    async (req) => {
      assertLocationAccess(req, req.params.id);
      return repo.locationToApi(await getLocationOrThrow(deps.db, req.params.id));
    },
  );

  app.patch(
    '/locations/:id',
    {
      schema: {
        operationId: 'updateAdminLocation',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Update a location',
        params: IdParams('loc'),
        body: UpdateLocationBody,
        response: { 200: Location },
      },
    },
    async (req) =>
      repo.locationToApi(await deps.db.tx((tx) => updateLocation(tx, deps, req.params.id, req.body))),
  );

  app.delete(
    '/locations/:id',
    {
      schema: {
        operationId: 'deleteAdminLocation',
        tags,
        security,
        summary: 'Delete an unused location (one with stock, history or channels: deactivate it instead)',
        params: IdParams('loc'),
        response: { 200: Location },
      },
    },
    async (req) => repo.locationToApi(await deps.db.tx((tx) => deleteLocation(tx, deps, req.params.id))),
  );

  app.put(
    '/channels/:id/locations',
    {
      schema: {
        operationId: 'setAdminChannelLocations',
        tags,
        security,
        summary: 'Set the locations that fulfil a channel, in priority order (pos/kiosk: exactly one store)',
        params: IdParams('chn'),
        body: SetChannelLocationsBody,
        response: { 200: ChannelLocations },
      },
    },
    async (req) =>
      channelLocationsToApi(
        req.params.id,
        await deps.db.tx((tx) => setChannelLocations(tx, deps, req.params.id, req.body.location_ids)),
      ),
  );

  app.get(
    '/channels/:id/locations',
    {
      schema: {
        operationId: 'listAdminChannelLocations',
        tags,
        security,
        summary: 'The locations that fulfil a channel, in priority order',
        params: IdParams('chn'),
        response: { 200: ChannelLocations },
      },
    },
    async (req) => channelLocationsToApi(req.params.id, await channelLocations(deps.db, req.params.id)),
  );
};
