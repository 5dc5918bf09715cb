import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../platform/http/app.ts';
import { cursorId, Id, IdParams, Obj, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import * as repo from './repo.ts';
import {
  CreatedEndpoint,
  CreateEndpointBody,
  DeliveriesQuery,
  Delivery,
  DeliveryParams,
  Endpoint,
  EventsQuery,
  EventView,
  RotateSecretBody,
  UpdateEndpointBody,
} from './schema.ts';
import * as svc from './service.ts';

const security = [{ adminToken: [] }];

export const webhookAdminRoutes = (app: HttpApp, deps: Deps): void => {
  const tags = ['webhooks'];
  app.post(
    '/webhooks',
    {
      schema: {
        operationId: 'createAdminWebhook',
        tags,
        security,
        summary: 'Register a webhook endpoint (the signing secret is shown once)',
        body: CreateEndpointBody,
        response: { 201: CreatedEndpoint },
      },
    },
    async (req, reply) => {
      const { row, secret } = await deps.db.tx((tx) => svc.createEndpoint(tx, deps, req.body));
      return reply.code(201).send({ secret, endpoint: repo.endpointToApi(row) });
    },
  );

  app.get(
    '/webhooks',
    {
      schema: {
        operationId: 'listAdminWebhooks',
        tags,
        security,
        summary: 'List webhook endpoints',
        response: { 200: Type.Object({ data: Type.Array(Endpoint) }) },
      },
    },
    async () => ({ data: (await repo.listEndpoints(deps.db)).map(repo.endpointToApi) }),
  );

  app.get(
    '/webhooks/:id',
    {
      schema: {
        operationId: 'getAdminWebhook',
        tags,
        security,
        summary: 'Get a webhook endpoint',
        params: IdParams('whe'),
        response: { 200: Endpoint },
      },
    },
    async (req) => repo.endpointToApi(await svc.getEndpointOrThrow(deps.db, req.params.id)),
  );

  app.patch(
    '/webhooks/:id',
    {
      schema: {
        operationId: 'updateAdminWebhook',
        tags,
        security,
        summary: 'Change a webhook endpoint (URL, event filter, enabled, attempts)',
        params: IdParams('whe'),
        body: UpdateEndpointBody,
        response: { 200: Endpoint },
      },
    },
    async (req) =>
      repo.endpointToApi(await deps.db.tx((tx) => svc.updateEndpoint(tx, deps, req.params.id, req.body))),
  );

  app.post(
    '/webhooks/:id/rotate-secret',
    {
      schema: {
        operationId: 'rotateAdminWebhookSecret',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Replace the signing secret (the new one is shown once)',
        description:
          'For `grace_seconds` (default 24 h) every delivery is signed with both secrets, space-separated ' +
          'in webhook-signature, so receivers switch to the new secret without losing a delivery.',
        params: IdParams('whe'),
        body: RotateSecretBody,
        response: { 200: CreatedEndpoint },
      },
    },
    async (req) => {
      const grace = req.body.grace_seconds;
      const { row, secret } = await deps.db.tx((tx) => svc.rotateSecret(tx, deps, req.params.id, grace));
      return { secret, endpoint: repo.endpointToApi(row) };
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        operationId: 'listAdminWebhookDeliveries',
        tags,
        security,
        summary: "List an endpoint's deliveries, newest first (filter by status, e.g. dead)",
        params: IdParams('whe'),
        querystring: DeliveriesQuery,
        response: { 200: Page(Delivery) },
      },
    },
    async (req) => {
      await svc.getEndpointOrThrow(deps.db, req.params.id);
      const rows = await repo.listDeliveries(deps.db, {
        endpointId: req.params.id,
        status: req.query.status,
        before: cursorId(req.query.cursor),
        limit: req.query.limit + 1,
      });
      return toPage(rows, req.query.limit, repo.deliveryToApi);
    },
  );

  app.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      schema: {
        operationId: 'redeliverAdminWebhookDelivery',
        tags,
        security,
        summary: 'Send a delivery again (also a dead-lettered one), with a fresh attempt budget',
        params: DeliveryParams,
        response: { 200: Delivery },
      },
    },
    async (req) =>
      repo.deliveryToApi(
        await deps.db.tx((tx) => svc.redeliver(tx, deps, req.params.id, req.params.deliveryId)),
      ),
  );

  app.get(
    '/events',
    {
      schema: {
        operationId: 'listAdminEvents',
        tags: ['events'],
        security,
        summary: 'Browse the outbox: every event Plaza wrote, newest first',
        querystring: EventsQuery,
        response: { 200: Page(EventView) },
      },
    },
    async (req) => {
      const rows = await svc.listEvents(deps.db, {
        ...req.query,
        before: cursorId(req.query.cursor),
        limit: req.query.limit + 1,
      });
      return toPage(rows, req.query.limit, svc.eventToApi);
    },
  );

  app.post(
    '/events/:id/retry',
    {
      schema: {
        operationId: 'retryAdminEvent',
        tags: ['events'],
        security,
        summary: 'Dispatch a failed event again to in-process subscribers',
        params: Obj({ id: Id('evt') }),
        response: { 200: EventView },
      },
    },
    async (req) => svc.eventToApi(await deps.db.tx((tx) => svc.retryEvent(tx, deps, req.params.id))),
  );
};
