import type { FastifyReply } from 'fastify';
import { callerOf, pricingChannel } from '../../modules/carts/index.ts';
import { getOrder } from '../../modules/orders/index.ts';
import { authorizeWithProvider, paymentsOfOrders } from '../../modules/payments/index.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { IdParams } from '../../platform/http/schemas.ts';
import { claimKey, idempotencyKeyOf, releaseKey, requestHash } from '../../platform/idempotency.ts';
import type { Deps } from '../../platform/module.ts';
import { answerFast, answerSlowly } from './answer.ts';
import { checkoutLeaseMs, checkoutScope } from './once.ts';
import { type Prepared, prepareCheckout } from './prepare.ts';
import { type CheckoutBody, CheckoutBody as CheckoutBodySchema, CheckoutResult } from './schema.ts';

const paymentDetails = (body: CheckoutBody): Record<string, unknown> =>
  body.payment.provider === 'test-card' ? { card_number: body.payment.card_number } : {};

const PROBLEM = 'application/problem+json; charset=utf-8';

const send = (reply: FastifyReply, status: number, body: unknown) =>
  reply
    .code(status)
    .type(status >= 400 ? PROBLEM : 'application/json; charset=utf-8')
    .serializer(JSON.stringify)
    .send(body);

export const checkoutRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/carts/:id/checkout',
    {
      schema: {
        operationId: 'checkoutCart',
        reads: { 'Idempotency-Key': 'required', 'x-plaza-cart-token': 'optional' },
        problems: [
          'INSUFFICIENT_STOCK',
          'CHECKOUT_IN_PROGRESS',
          'CART_ALREADY_CHECKED_OUT',
          'INVALID_STATE_TRANSITION',
          'DISCOUNT_INVALID',
          'PAYMENT_DECLINED',
          'PAYMENT_FAILED',
          'INSUFFICIENT_POINTS',
          'PROCESSING_RESTRICTED',
          'UNPROCESSABLE',
        ],
        tags: ['store: checkout'],
        security: [{ channelKey: [] }, { channelKey: [], customerToken: [] }],
        summary: 'Check out: hold stock, create the order, authorize the payment (requires Idempotency-Key)',
        description:
          'Replaying the same Idempotency-Key with the same body returns the first answer (the same order); ' +
          'the same key with another body answers IDEMPOTENCY_MISMATCH. A declined payment (PAYMENT_DECLINED) ' +
          'releases the stock and leaves the cart as it was: pay again with a new key.',
        params: IdParams('cart'),
        body: CheckoutBodySchema,
        response: { 201: CheckoutResult },
      },
    },
    async (req, reply) => {
      const key = idempotencyKeyOf(req, true) as string;
      const scope = checkoutScope(req.params.id);
      const claim = await claimKey(deps.db, deps.clock, {
        scope,
        key,
        hash: requestHash('POST', `/store/carts/${req.params.id}/checkout`, req.body),
        leaseMs: checkoutLeaseMs(deps.config),
      });
      if (claim.kind === 'replay') return send(reply, claim.status, claim.body);

      const idem = { scope, key };
      if (claim.kind === 'resume' && claim.resourceId) {
        // The first attempt died after creating the order: finish it.
        const orderId = claim.resourceId;
        const order = await getOrder(deps.db, orderId);
        const payment = (await paymentsOfOrders(deps.db, [orderId])).at(-1);
        if (!order || !payment) throw new Error(`order ${orderId} has no payment`);
        const outcome =
          order.status === 'pending_payment' && payment.status === 'pending'
            ? await authorizeWithProvider(deps.config.paymentTimeoutMs, payment, paymentDetails(req.body))
            : undefined;
        const a = await answerSlowly(req, deps, orderId, payment, outcome, null, idem);
        return send(reply, a.status, a.body);
      }
      let prepared: Prepared;
      try {
        prepared = await deps.db.tx(
          (tx) =>
            prepareCheckout(tx, deps, {
              cartId: req.params.id,
              caller: callerOf(req),
              channel: pricingChannel(req),
              body: req.body,
              idem,
            }),
          { retries: 2 },
        );
      } catch (e) {
        await releaseKey(deps.db, scope, key); // nothing was created: the same key may be retried
        throw e;
      }
      const outcome = await authorizeWithProvider(
        deps.config.paymentTimeoutMs,
        prepared.payment,
        paymentDetails(req.body),
      );
      const fast =
        outcome.status === 'authorized' ? await answerFast(deps, prepared, outcome, idem) : undefined;
      const a =
        fast ??
        (await answerSlowly(
          req,
          deps,
          prepared.order.id,
          prepared.payment,
          outcome,
          prepared.orderToken,
          idem,
        ));
      return send(reply, a.status, a.body);
    },
  );
};
