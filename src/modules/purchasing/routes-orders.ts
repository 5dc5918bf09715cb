/**
 * HTTP for purchase orders. Admin tokens create, order and cancel them; staff tokens may also list,
 * read and receive those delivered to their own locations.
 */
import type { FastifyRequest } from 'fastify';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { assertLocationAccess, requireAdmin } from '../../platform/http/auth.ts';
import { cursorId, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { purchaseOrderToApi } from './api.ts';
import {
  cancelPurchaseOrder,
  createPurchaseOrder,
  orderPurchaseOrder,
  receivePurchaseOrder,
} from './orders.ts';
import * as repo from './orders-repo.ts';
import { security, tags } from './routes-suppliers.ts';
import {
  CancelPurchaseOrderBody,
  CreatePurchaseOrderBody,
  ListPurchaseOrdersQuery,
  OptionalBody,
  PurchaseOrder,
  PurchaseOrderParams,
  ReceivePurchaseOrderBody,
} from './schema.ts';

const staff = { staff: true };

/** The receiving locations a caller may see: undefined (all) for admins, their own for staff. */
const visibleLocations = (req: FastifyRequest, locationId?: string): readonly string[] | undefined => {
  if (locationId) assertLocationAccess(req, locationId);
  const admin = requireAdmin(req);
  return admin.scope === 'staff' ? admin.locationIds : undefined;
};

export const purchaseOrderRoutes = (app: HttpApp, deps: Deps): void => {
  /** Loads the order and checks the caller may act for its receiving location. */
  const authorize = async (req: FastifyRequest, id: string) => {
    const po = await repo.getPurchaseOrder(deps.db, id);
    if (!po) throw notFound('Purchase order', id);
    return { po, admin: assertLocationAccess(req, po.location_id) };
  };

  app.post(
    '/purchase-orders',
    {
      schema: {
        operationId: 'createAdminPurchaseOrder',
        tags,
        security,
        summary: 'Create a draft purchase order from a supplier to a receiving location',
        description:
          'Each SKU once, 1–500 lines. Without expected_on: today at the receiving location plus the ' +
          'longest lead time of the lines (the supplier’s for a SKU it does not list).',
        body: CreatePurchaseOrderBody,
        response: { 201: PurchaseOrder },
      },
    },
    async (req, reply) => {
      const admin = requireAdmin(req);
      const po = await deps.db.tx((tx) => createPurchaseOrder(tx, deps, req.body, admin.tokenId));
      return reply.code(201).send(purchaseOrderToApi(po));
    },
  );

  app.get(
    '/purchase-orders',
    {
      config: staff,
      schema: {
        operationId: 'listAdminPurchaseOrders',
        tags,
        security,
        summary: 'List purchase orders, newest first (staff tokens: those to their locations)',
        querystring: ListPurchaseOrdersQuery,
        response: { 200: Page(PurchaseOrder) },
      },
    },
    async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const rows = await repo.listPurchaseOrders(deps.db, {
        ...filter,
        locationIds: visibleLocations(req, filter.location_id),
        before: cursorId(cursor),
        limit: limit + 1,
      });
      return toPage(rows, limit, purchaseOrderToApi);
    },
  );

  app.get(
    '/purchase-orders/:id',
    {
      config: staff,
      schema: {
        operationId: 'getAdminPurchaseOrder',
        tags,
        security,
        summary: 'Get a purchase order with what is received and outstanding per line',
        params: PurchaseOrderParams,
        response: { 200: PurchaseOrder },
      },
    },
    async (req) => purchaseOrderToApi((await authorize(req, req.params.id)).po),
  );

  app.post(
    '/purchase-orders/:id/order',
    {
      schema: {
        operationId: 'orderAdminPurchaseOrder',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Mark a draft as sent to the supplier (status ordered; counted as inbound from now on)',
        params: PurchaseOrderParams,
        response: { 200: PurchaseOrder },
      },
    },
    async (req) => {
      const { admin } = await authorize(req, req.params.id);
      const r = await deps.db.tx((tx) =>
        orderPurchaseOrder(tx, deps, req.params.id, { actor: admin.tokenId }),
      );
      return purchaseOrderToApi(unwrap(r));
    },
  );

  app.post(
    '/purchase-orders/:id/receive',
    {
      config: staff,
      schema: {
        operationId: 'receiveAdminPurchaseOrder',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Receive delivered units into stock at the receiving location (partial receipts allowed)',
        description:
          'Receipt movements reference purchase_order/<id>. A SKU not on the order, or more than is ' +
          'outstanding, is VALIDATION_FAILED and nothing moves.',
        params: PurchaseOrderParams,
        body: ReceivePurchaseOrderBody,
        response: { 200: PurchaseOrder },
      },
    },
    async (req) => {
      const { admin } = await authorize(req, req.params.id);
      const { lines, reason } = req.body;
      const r = await deps.db.tx((tx) =>
        receivePurchaseOrder(tx, deps, req.params.id, { actor: admin.tokenId, lines, reason }),
      );
      return purchaseOrderToApi(unwrap(r));
    },
  );

  app.post(
    '/purchase-orders/:id/cancel',
    {
      schema: {
        operationId: 'cancelAdminPurchaseOrder',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Cancel a draft or ordered purchase order (not once units were received)',
        params: PurchaseOrderParams,
        body: OptionalBody(CancelPurchaseOrderBody),
        response: { 200: PurchaseOrder },
      },
    },
    async (req) => {
      const { admin } = await authorize(req, req.params.id);
      const reason = req.body?.reason;
      const r = await deps.db.tx((tx) =>
        cancelPurchaseOrder(tx, deps, req.params.id, { actor: admin.tokenId, reason }),
      );
      return purchaseOrderToApi(unwrap(r));
    },
  );
};
