import type { FastifyRequest } from 'fastify';
import { safeEqual, sha256 } from '../../platform/crypto.ts';
import type { Queryable } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { CustomerPrincipal } from '../../platform/http/auth.ts';
import { type CartRow, getCart } from './repo.ts';
import { CART_TOKEN_HEADER } from './schema.ts';

export interface CartCaller {
  customer: CustomerPrincipal | null;
  cartToken: string | undefined;
}

/** The cart token from the x-plaza-cart-token header (or `cart_token` in the query, for SSE). */
export const cartTokenOf = (req: FastifyRequest): string | undefined => {
  const h = req.headers[CART_TOKEN_HEADER];
  if (typeof h === 'string' && h.length > 0 && h.length <= 200) return h;
  const q = (req.query as Record<string, unknown> | undefined)?.cart_token;
  return typeof q === 'string' && q.length > 0 && q.length <= 200 ? q : undefined;
};

export const callerOf = (req: FastifyRequest): CartCaller => ({
  customer: req.customer,
  cartToken: cartTokenOf(req),
});

export const cartNotFound = (id: string) =>
  new PlazaError('NOT_FOUND', `Cart ${id} was not found, or these credentials do not open it`, { id });

/** True when the caller may open the cart: its customer, or (anonymous carts only) the holder of its token. */
export const mayOpen = (cart: CartRow, who: CartCaller): boolean => {
  if (cart.customer_id) return who.customer?.customerId === cart.customer_id;
  return Boolean(cart.token_hash && who.cartToken && safeEqual(cart.token_hash, sha256(who.cartToken)));
};

/**
 * Opens a cart for the caller. A customer's cart opens only with that customer's token (never with
 * a cart token left on a shared device); an anonymous cart only with its secret token. Anything
 * else is NOT_FOUND, so ids reveal nothing.
 */
export const openCart = async (q: Queryable, id: string, who: CartCaller, lock = false): Promise<CartRow> => {
  const cart = await getCart(q, id, lock);
  if (!cart || !mayOpen(cart, who)) throw cartNotFound(id);
  return cart;
};

/** Refuses changes to a cart that was merged or checked out, saying where things went. */
export const assertActive = (cart: CartRow): void => {
  if (cart.status === 'merged') {
    throw new PlazaError('CONFLICT', `This cart was merged into cart ${cart.merged_into}; use that cart`, {
      merged_into: cart.merged_into,
    });
  }
  if (cart.status === 'checked_out') {
    throw new PlazaError('CONFLICT', `This cart was checked out as order ${cart.order_id}`, {
      order_id: cart.order_id,
    });
  }
};
