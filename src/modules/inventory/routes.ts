import type { FastifyRequest } from 'fastify';
import type { HttpApp } from '../../platform/http/app.ts';
import { assertLocationAccess, requireAdmin } from '../../platform/http/auth.ts';
import { cursorId, decodeCursor, encodeCursor, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { ok, unwrap } from '../../platform/result.ts';
import { levelToApi, movementToApi } from './api.ts';
import * as repo from './repo.ts';
import {
  AdjustmentBody,
  AdjustmentResult,
  CountBody,
  CountResult,
  Level,
  ListLevelsQuery,
  ListMovementsQuery,
  Movement,
  UpdateLevelBody,
} from './schema.ts';
import { adjust, countStock, updateLevelSettings } from './stock.ts';

export const tags = ['inventory'];
export const security = [{ adminToken: [] }];

/** The locations a caller may see: undefined (all) for admins, their own for staff. */
export const visibleLocations = (req: FastifyRequest, locationId?: string): readonly string[] | undefined => {
  if (locationId) assertLocationAccess(req, locationId);
  const admin = requireAdmin(req);
  return admin.scope === 'staff' ? admin.locationIds : undefined;
};

const levelCursor = (cursor: string | undefined) => {
  const [sku, location_id] = decodeCursor(cursor) ?? [];
  return typeof sku === 'string' && typeof location_id === 'string' ? { sku, location_id } : undefined;
};

export const levelRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/inventory/levels',
    {
      config: { staff: true },
      schema: {
        operationId: 'listAdminInventoryLevels',
        tags,
        security,
        summary: 'Stock levels per SKU and location (staff tokens: their locations)',
        querystring: ListLevelsQuery,
        response: { 200: Page(Level) },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await repo.listLevels(deps.db, {
        sku: q.sku,
        location_id: q.location_id,
        locationIds: visibleLocations(req, q.location_id),
        lowStock: q.low_stock,
        after: levelCursor(q.cursor),
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        data: page.map(levelToApi),
        next_cursor: rows.length > q.limit && last ? encodeCursor([last.sku, last.location_id]) : null,
      };
    },
  );

  app.patch(
    '/inventory/levels',
    {
      schema: {
        operationId: 'updateAdminInventoryLevels',
        tags,
        security,
        summary: 'Set the safety stock and low-stock threshold of a level',
        body: UpdateLevelBody,
        response: { 200: Level },
      },
    },
    async (req) => {
      const { sku, location_id, ...settings } = req.body;
      return levelToApi(
        await deps.db.tx(async (tx) => {
          await updateLevelSettings(tx, deps, { sku, location_id }, settings);
          return (await repo.getLevel(tx, { sku, location_id })) as repo.LevelRow;
        }),
      );
    },
  );

  app.post(
    '/inventory/adjustments',
    {
      config: { staff: true },
      schema: {
        operationId: 'adjustAdminInventory',
        problems: ['INSUFFICIENT_STOCK'],
        tags,
        security,
        summary: 'Receive, return, adjust or write off stock (never below what is reserved)',
        body: AdjustmentBody,
        response: { 201: AdjustmentResult },
      },
    },
    async (req, reply) => {
      const admin = assertLocationAccess(req, req.body.location_id);
      const body = req.body;
      const result = await deps.db.tx(async (tx) => {
        const r = await adjust(tx, deps, { ...body, kind: body.kind ?? 'adjustment', actor: admin.tokenId });
        if (!r.ok) return r;
        const level = (await repo.getLevel(tx, body)) as repo.LevelRow;
        const movement = (await repo.getMovement(tx, r.value.movement_id)) as repo.MovementRow;
        return ok({ level: levelToApi(level), movement: movementToApi(movement) });
      });
      return reply.code(201).send(unwrap(result));
    },
  );

  app.get(
    '/inventory/movements',
    {
      config: { staff: true },
      schema: {
        operationId: 'listAdminInventoryMovements',
        tags,
        security,
        summary: 'The stock ledger, newest first (staff tokens: their locations)',
        querystring: ListMovementsQuery,
        response: { 200: Page(Movement) },
      },
    },
    async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const rows = await repo.listMovements(deps.db, {
        ...filter,
        locationIds: visibleLocations(req, filter.location_id),
        before: cursorId(cursor),
        limit: limit + 1,
      });
      return toPage(rows, limit, movementToApi);
    },
  );

  app.post(
    '/inventory/counts',
    {
      config: { staff: true },
      schema: {
        operationId: 'recordAdminInventoryCount',
        tags,
        security,
        summary: 'Record a stock count: on_hand becomes what was counted (refused below what is reserved)',
        body: CountBody,
        response: { 201: CountResult },
      },
    },
    async (req, reply) => {
      const admin = assertLocationAccess(req, req.body.location_id);
      const result = await deps.db.tx((tx) => countStock(tx, deps, { ...req.body, actor: admin.tokenId }));
      return reply.code(201).send(unwrap(result));
    },
  );
};
