/** HTTP for transfers. Staff act on their side: ship from, receive at, request or cancel either. */
import type { FastifyRequest } from 'fastify';
import { PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { type AdminPrincipal, canAccessLocation, requireAdmin } from '../../platform/http/auth.ts';
import { cursorId, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { transferToApi } from './api.ts';
import { security, tags, visibleLocations } from './routes.ts';
import {
  CancelTransferBody,
  CreateTransferBody,
  ListTransfersQuery,
  OptionalBody,
  ReceiveTransferBody,
  Transfer,
  TransferParams,
} from './schema.ts';
import { cancelTransfer, createTransfer, receiveTransfer, shipTransfer } from './transfers.ts';
import * as repo from './transfers-repo.ts';

/** FORBIDDEN unless the caller may act for one of `locationIds`. */
const assertAnyLocation = (req: FastifyRequest, locationIds: string[]): AdminPrincipal => {
  const admin = requireAdmin(req);
  if (!locationIds.some((id) => canAccessLocation(admin, id))) {
    throw new PlazaError('FORBIDDEN', `This staff token may not act for ${locationIds.join(' or ')}`, {
      location_ids: locationIds,
    });
  }
  return admin;
};

const staff = { staff: true };

export const transferRoutes = (app: HttpApp, deps: Deps): void => {
  /** Loads the transfer and checks the caller may act for the given side(s) of it. */
  const authorize = async (req: FastifyRequest, id: string, sides: ('from' | 'to')[]) => {
    const t = await repo.getTransfer(deps.db, id);
    if (!t) throw new PlazaError('NOT_FOUND', `Transfer ${id} was not found`, { id });
    const ids = sides.map((s) => (s === 'from' ? t.from_location_id : t.to_location_id));
    return { t, admin: assertAnyLocation(req, ids) };
  };

  app.post(
    '/inventory/transfers',
    {
      config: staff,
      schema: {
        operationId: 'createAdminTransfer',
        problems: ['INSUFFICIENT_STOCK'],
        tags,
        security,
        summary: 'Request a transfer between two locations (no stock moves until it ships)',
        body: CreateTransferBody,
        response: { 201: Transfer },
      },
    },
    async (req, reply) => {
      const admin = assertAnyLocation(req, [req.body.from_location_id, req.body.to_location_id]);
      const t = await deps.db.tx((tx) => createTransfer(tx, deps, { ...req.body, actor: admin.tokenId }));
      return reply.code(201).send(transferToApi(t));
    },
  );

  app.get(
    '/inventory/transfers',
    {
      config: staff,
      schema: {
        operationId: 'listAdminTransfers',
        tags,
        security,
        summary: 'List transfers (staff tokens: those from or to their locations)',
        querystring: ListTransfersQuery,
        response: { 200: Page(Transfer) },
      },
    },
    async (req) => {
      const { limit, cursor, status, location_id } = req.query;
      const rows = await repo.listTransfers(deps.db, {
        status,
        location_id,
        locationIds: visibleLocations(req, location_id),
        after: cursorId(cursor),
        limit: limit + 1,
      });
      return toPage(rows, limit, transferToApi);
    },
  );

  app.get(
    '/inventory/transfers/:id',
    {
      config: staff,
      schema: {
        operationId: 'getAdminTransfer',
        tags,
        security,
        summary: 'Get a transfer',
        params: TransferParams,
        response: { 200: Transfer },
      },
    },
    async (req) => transferToApi((await authorize(req, req.params.id, ['from', 'to'])).t),
  );

  app.post(
    '/inventory/transfers/:id/ship',
    {
      config: staff,
      schema: {
        operationId: 'shipAdminTransfer',
        problems: ['INSUFFICIENT_STOCK', 'INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Ship: take the units out of the source (status in_transit; incoming at the destination)',
        params: TransferParams,
        response: { 200: Transfer },
      },
    },
    async (req) => {
      const { admin } = await authorize(req, req.params.id, ['from']);
      const r = await deps.db.tx((tx) => shipTransfer(tx, deps, req.params.id, { actor: admin.tokenId }));
      return transferToApi(unwrap(r));
    },
  );

  app.post(
    '/inventory/transfers/:id/receive',
    {
      config: staff,
      schema: {
        operationId: 'receiveAdminTransfer',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Receive at the destination: everything outstanding, or the given lines (partial receipt)',
        params: TransferParams,
        body: OptionalBody(ReceiveTransferBody),
        response: { 200: Transfer },
      },
    },
    async (req) => {
      const { admin } = await authorize(req, req.params.id, ['to']);
      const lines = req.body?.lines;
      const r = await deps.db.tx((tx) =>
        receiveTransfer(tx, deps, req.params.id, { actor: admin.tokenId, lines }),
      );
      return transferToApi(unwrap(r));
    },
  );

  app.post(
    '/inventory/transfers/:id/cancel',
    {
      config: staff,
      schema: {
        operationId: 'cancelAdminTransfer',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Cancel a transfer that has not shipped',
        params: TransferParams,
        body: OptionalBody(CancelTransferBody),
        response: { 200: Transfer },
      },
    },
    async (req) => {
      const { admin } = await authorize(req, req.params.id, ['from', 'to']);
      const reason = req.body?.reason;
      const r = await deps.db.tx((tx) =>
        cancelTransfer(tx, deps, req.params.id, { actor: admin.tokenId, reason }),
      );
      return transferToApi(unwrap(r));
    },
  );
};
