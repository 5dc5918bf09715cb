import { type Static, Type } from '@sinclair/typebox';
import { Order } from '../../modules/orders/index.ts';
import { Email, Nullable, Obj, Str } from '../../platform/http/schemas.ts';

export const PaymentInput = Type.Union([
  Obj({
    provider: Type.Literal('test-card'),
    card_number: Str({ min: 12, max: 23, pattern: '^[0-9 -]+$', description: 'Sandbox card number' }),
  }),
  Obj({ provider: Type.Literal('pay-in-store') }),
]);

export const CheckoutBody = Obj({
  email: Type.Optional(Email),
  payment: PaymentInput,
  loyalty_points: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 10_000_000,
      description: 'Loyalty points to pay with (logged in); used up to the amount due, as a discount',
    }),
  ),
  expected_total: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Refuse (CONFLICT) if the total is no longer this amount' }),
  ),
});
export type CheckoutBody = Static<typeof CheckoutBody>;

export const CheckoutResult = Type.Object(
  {
    order: Order,
    order_token: Nullable(
      Type.String({ description: 'Secret for x-plaza-order-token (guest access to the order)' }),
    ),
  },
  { $id: 'CheckoutResult' },
);
