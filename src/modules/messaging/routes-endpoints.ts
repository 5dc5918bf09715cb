/**
 * /store/push: the VAPID key a browser subscribes with, Web Push subscriptions of the shop and FCM
 * tokens of the app. A device belongs to the logged-in customer, else to the visitor's anonymous_id.
 */
import { isIP } from 'node:net';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { notFound, validation } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import type { Deps } from '../../platform/module.ts';
import { type EndpointRow, getEndpoint, revokeEndpoint, upsertEndpoint } from './endpoints.ts';
import { vapidKeys } from './providers/web-push.ts';
import {
  DeleteEndpointQuery,
  DeviceBody,
  Endpoint,
  EndpointParams,
  SubscriptionBody,
  VapidKey,
} from './schema.ts';

const tags = ['store: messaging'];
const security: Record<string, string[]>[] = [{ channelKey: [] }, { channelKey: [], customerToken: [] }];

const toApi = (r: EndpointRow) => ({
  id: r.id,
  kind: r.kind,
  customer_id: r.customer_id,
  created_at: r.created_at.toISOString(),
  revoked_at: r.revoked_at?.toISOString() ?? null,
});

/** Who the device is for: the logged-in customer, else the visitor's anonymous id (one is required). */
const ownerOf = (req: FastifyRequest, anonymousId: string | undefined) => {
  const customerId = req.customer?.customerId ?? null;
  if (!customerId && !anonymousId)
    throw validation('Log in, or give the anonymous_id of this visitor', [
      { path: 'body.anonymous_id', message: 'is required without a customer token' },
    ]);
  return { customerId, anonymousId: anonymousId ?? null };
};

const userAgent = (req: FastifyRequest): string | null => {
  const ua = req.headers['user-agent'];
  return typeof ua === 'string' ? ua.slice(0, 300) : null;
};

/**
 * A push service endpoint Plaza may POST to: https on a public host name. IP literals and local
 * names are refused, so a subscription cannot point Plaza's requests at its own network.
 */
const assertPushEndpoint = (endpoint: string): void => {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw validation('The endpoint is not a URL', [{ path: 'body.endpoint', message: 'must be a URL' }]);
  }
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (
    u.protocol !== 'https:' ||
    isIP(host) !== 0 ||
    !host.includes('.') ||
    host === 'localhost' ||
    /\.(localhost|local|internal)$/.test(host) ||
    u.username ||
    u.password
  ) {
    throw validation('The endpoint must be an https URL of a public push service', [
      { path: 'body.endpoint', message: 'must be https on a public host name' },
    ]);
  }
};

export const endpointStoreRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/push/vapid-key',
    {
      schema: {
        operationId: 'getPushVapidKey',
        tags,
        security,
        summary: "The shop's VAPID public key, to subscribe a browser to Web Push",
        response: { 200: VapidKey },
      },
    },
    async () => ({ public_key: (await vapidKeys(deps)).publicKey }),
  );

  app.post(
    '/push/subscriptions',
    {
      schema: {
        operationId: 'createPushSubscription',
        tags,
        security,
        summary:
          "Register this browser's Web Push subscription (PushSubscription.toJSON()) for the customer or visitor",
        body: SubscriptionBody,
        response: { 201: Endpoint },
      },
    },
    async (req, reply) => {
      const owner = ownerOf(req, req.body.anonymous_id);
      assertPushEndpoint(req.body.endpoint);
      const row = await upsertEndpoint(deps.db, {
        kind: 'web_push',
        address: req.body.endpoint,
        ...owner,
        p256dh: req.body.keys.p256dh,
        auth: req.body.keys.auth,
        userAgent: userAgent(req),
        at: deps.clock.now(),
      });
      return reply.code(201).send(toApi(row));
    },
  );

  app.post(
    '/push/devices',
    {
      schema: {
        operationId: 'createPushDevice',
        tags,
        security,
        summary: "Register the app's FCM registration token on this device for the customer or visitor",
        body: DeviceBody,
        response: { 201: Endpoint },
      },
    },
    async (req, reply) => {
      const owner = ownerOf(req, req.body.anonymous_id);
      const ua = userAgent(req);
      const row = await upsertEndpoint(deps.db, {
        kind: 'fcm',
        address: req.body.token,
        ...owner,
        userAgent: `${req.body.platform}${ua ? ` ${ua}` : ''}`.slice(0, 300),
        at: deps.clock.now(),
      });
      return reply.code(201).send(toApi(row));
    },
  );

  const remove = async (req: FastifyRequest, id: string, anonymousId: string | undefined) => {
    const ep = await getEndpoint(deps.db, id);
    const customerId = req.customer?.customerId;
    const mine =
      ep &&
      ((customerId !== undefined && ep.customer_id === customerId) ||
        (anonymousId !== undefined && ep.anonymous_id === anonymousId));
    if (!ep || !mine) throw notFound('Push subscription', id);
    await revokeEndpoint(deps.db, ep.id, deps.clock.now());
  };

  for (const [path, operationId, what] of [
    ['/push/subscriptions/:id', 'deletePushSubscription', 'Web Push subscription'],
    ['/push/devices/:id', 'deletePushDevice', 'app device (FCM token)'],
  ] as const) {
    app.delete(
      path,
      {
        schema: {
          operationId,
          tags,
          security,
          summary: `Unsubscribe: the ${what} gets no more push messages (idempotent for its owner)`,
          params: EndpointParams,
          querystring: DeleteEndpointQuery,
          response: { 204: Type.Null({ description: 'Unsubscribed' }) },
        },
      },
      async (req, reply) => {
        await remove(req, req.params.id, req.query.anonymous_id);
        return reply.code(204).send(null);
      },
    );
  }
};
