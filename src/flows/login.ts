/**
 * Logging in, with the shopper's anonymous cart: POST /store/auth/token checks the password and,
 * when the request carries an x-plaza-cart-token, attaches that cart to the customer (merging it
 * into their own cart by the channel's strategy). The answer lists what the merge adjusted.
 */
import { Type } from '@sinclair/typebox';
import {
  attachCart,
  cartByTokenHash,
  cartTokenOf,
  MergeResult,
  pricingChannel,
  viewIn,
} from '../modules/carts/index.ts';
import { channelSettings } from '../modules/channels/index.ts';
import {
  anonymousIdOf,
  customerToApi,
  LoginBody,
  login,
  normalizeEmail,
  Session,
} from '../modules/customers/index.ts';
import { sha256 } from '../platform/crypto.ts';
import type { HttpApp } from '../platform/http/app.ts';
import { requireChannel } from '../platform/http/auth.ts';
import { Nullable } from '../platform/http/schemas.ts';
import type { Deps, PlazaModule } from '../platform/module.ts';
import { bodyText, ipSubject, type RouteRateLimit } from '../platform/rate-limit.ts';
import { AUTH_BODY_LIMIT } from '../platform/rate-limit-config.ts';
import { unwrap } from '../platform/result.ts';

const LoginResponse = Type.Intersect([
  Session,
  Type.Object({
    cart_merge: Nullable(
      Type.Intersect([
        MergeResult,
        Type.Object({
          skipped: Nullable(Type.String({ description: 'Why the anonymous cart was left alone' })),
        }),
      ]),
    ),
  }),
]);

/**
 * Logins per client IP and per account (every attempt; failures are also counted by the login throttle).
 * The account's subject hashes like the throttle's `auth_failures`, so erasing the customer deletes it.
 */
export const loginRateLimits: readonly RouteRateLimit[] = [
  { name: 'loginPerIp', subject: ipSubject },
  {
    name: 'loginPerAccount',
    subject: (req) => {
      const email = bodyText(req, 'email');
      return email === null ? null : `login:${normalizeEmail(email)}`;
    },
  },
];

const loginRoutes = (app: HttpApp, deps: Deps) => {
  app.post(
    '/auth/token',
    {
      bodyLimit: AUTH_BODY_LIMIT,
      config: { rateLimits: loginRateLimits },
      schema: {
        operationId: 'logInCustomer',
        reads: { 'x-plaza-cart-token': 'optional', 'x-plaza-anonymous-id': 'optional' },
        problems: ['INVALID_CREDENTIALS', 'RATE_LIMITED'],
        tags: ['store: customers'],
        security: [{ channelKey: [] }],
        summary:
          'Log in: exchange email and password for a customer token; attaches the x-plaza-cart-token cart ' +
          'and links the x-plaza-anonymous-id device',
        body: LoginBody,
        response: { 200: LoginResponse },
      },
    },
    async (req) => {
      const channel = requireChannel(req);
      const s = unwrap(
        await login(deps, {
          ...req.body,
          ip: req.ip,
          channelId: channel.channelId,
          anonymousId: anonymousIdOf(req), // linked to the customer unless the device is someone else's
        }),
      );
      const session = {
        token: s.token,
        token_type: 'Bearer' as const,
        expires_at: s.expiresAt.toISOString(),
        customer: customerToApi(s.customer),
      };
      const cartToken = cartTokenOf(req);
      if (!cartToken) return { ...session, cart_merge: null };
      const ch = pricingChannel(req);
      const merge = await deps.db.tx(async (tx) => {
        const anonymous = await cartByTokenHash(tx, sha256(cartToken));
        if (!anonymous) return null;
        const strategy = (await channelSettings(tx, ch.channelId)).cart_merge_strategy;
        const r = await attachCart(tx, deps, { anonymous, customerId: s.customer.id, channel: ch, strategy });
        if (!r.cart) return null;
        return {
          strategy,
          cart: await viewIn(tx, deps, r.cart, ch),
          adjustments: r.adjustments,
          skipped: r.skipped,
        };
      });
      return { ...session, cart_merge: merge };
    },
  );
};

export const loginFlow: PlazaModule = { name: 'login', storeRoutes: loginRoutes };
