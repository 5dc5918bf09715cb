/**
 * The cart: one query (`['cart']`) for the customer's current cart or this browser's guest cart,
 * optimistic changes that roll back when Plaza refuses them, and the live stream that keeps the
 * cart the same on every device.
 */
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, type components, unwrap } from '../kit/api.ts';
import { trackCartChange, trackLineChange } from './analytics.ts';
import { readGuestCart, type ShopSession, useShop, writeGuestCart } from './session.tsx';

export type Cart = components['schemas']['Cart'];
export type CartLine = components['schemas']['CartLine'];
export const CART_KEY = ['cart'] as const;

const notFound = (e: unknown): boolean => e instanceof ApiError && e.status === 404;

/** The guest cart's secret header, when this browser has one (guests only). */
export const cartHeader = (s: ShopSession): { 'x-plaza-cart-token'?: string } => {
  const guest = s.loggedIn ? null : readGuestCart();
  return guest ? { 'x-plaza-cart-token': guest.token } : {};
};

const loadCart = async (s: ShopSession): Promise<Cart | null> => {
  if (s.loggedIn) {
    try {
      return await unwrap(s.api.GET('/store/carts/current'));
    } catch (e) {
      if (!notFound(e)) throw e;
      // No active cart yet: open one now, so every device of this customer streams the same cart.
      return (await unwrap(s.api.POST('/store/carts', { body: {} }))).cart;
    }
  }
  const guest = readGuestCart();
  if (!guest) return null;
  try {
    const cart = await unwrap(
      s.api.GET('/store/carts/{id}', {
        params: { path: { id: guest.id }, header: { 'x-plaza-cart-token': guest.token } },
      }),
    );
    if (cart.status === 'active') return cart;
  } catch (e) {
    if (!notFound(e)) throw e;
  }
  writeGuestCart(null);
  return null;
};

export const useCart = () => {
  const s = useShop();
  return useQuery({ queryKey: CART_KEY, queryFn: () => loadCart(s), staleTime: 30_000 });
};

/** The cart with one line's quantity changed (or added, or removed at 0), before Plaza answers. */
const withQuantity = (
  cart: Cart,
  match: (l: CartLine) => boolean,
  next: (l: CartLine | undefined) => number,
  draft?: CartLine,
): Cart => {
  const existing = cart.lines.find(match);
  const quantity = Math.max(0, next(existing));
  let lines: CartLine[];
  if (existing)
    lines = cart.lines.flatMap((l) => (l === existing ? (quantity > 0 ? [{ ...l, quantity }] : []) : [l]));
  else lines = draft && quantity > 0 ? [...cart.lines, { ...draft, quantity }] : cart.lines;
  return { ...cart, lines, item_count: lines.reduce((n, l) => n + l.quantity, 0) };
};

const snapshot = async (qc: QueryClient): Promise<{ before: Cart | null | undefined }> => {
  await qc.cancelQueries({ queryKey: CART_KEY });
  return { before: qc.getQueryData<Cart | null>(CART_KEY) };
};

export interface AddItem {
  sku: string;
  quantity: number;
  /** For the optimistic line until Plaza answers. */
  title: string;
  variantTitle?: string;
  unitPrice?: number | null;
}

/** Adds units; the badge and drawer move at once and go back if Plaza refuses (INSUFFICIENT_STOCK…). */
export const useAddToCart = () => {
  const s = useShop();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (item: AddItem): Promise<Cart> => {
      const cart = (await loadCartIfMissing(qc, s)) ?? null;
      if (!cart) {
        const created = await unwrap(
          s.api.POST('/store/carts', { body: { items: [{ sku: item.sku, quantity: item.quantity }] } }),
        );
        if (!s.loggedIn && created.cart_token)
          writeGuestCart({ id: created.cart.id, token: created.cart_token });
        return created.cart;
      }
      return unwrap(
        s.api.POST('/store/carts/{id}/items', {
          params: { path: { id: cart.id }, header: cartHeader(s) },
          body: { sku: item.sku, quantity: item.quantity },
        }),
      );
    },
    onMutate: async (item) => {
      const ctx = await snapshot(qc);
      if (ctx.before) {
        const draft: CartLine = {
          id: `pending-${item.sku}`,
          sku: item.sku,
          variant_id: null,
          product_id: null,
          title: item.title,
          variant_title: item.variantTitle ?? null,
          image_url: null,
          quantity: 0,
          unit_price: item.unitPrice ?? null,
          compare_at_price: null,
          subtotal: 0,
          available: 0,
          availability: 'in_stock',
        };
        qc.setQueryData<Cart>(
          CART_KEY,
          withQuantity(
            ctx.before,
            (l) => l.sku === item.sku,
            (l) => (l?.quantity ?? 0) + item.quantity,
            draft,
          ),
        );
      }
      return ctx;
    },
    onError: (_e, _item, ctx) => {
      if (ctx) qc.setQueryData(CART_KEY, ctx.before);
    },
    onSuccess: (cart, item) => {
      qc.setQueryData(CART_KEY, cart);
      trackCartChange(cart, item.sku, item.quantity);
    },
  });
};

/** The cached cart, or the one Plaza has (a click before the first load finished). */
const loadCartIfMissing = async (qc: QueryClient, s: ShopSession): Promise<Cart | null> => {
  const cached = qc.getQueryData<Cart | null>(CART_KEY);
  if (cached) return cached;
  return qc.fetchQuery({ queryKey: CART_KEY, queryFn: () => loadCart(s) });
};

/** Changes a line's quantity (0 removes it), optimistically. */
export const useSetQuantity = () => {
  const s = useShop();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({
      cartId,
      lineId,
      quantity,
    }: {
      cartId: string;
      lineId: string;
      quantity: number;
    }) => {
      const params = { path: { id: cartId, lineId }, header: cartHeader(s) };
      if (quantity <= 0) return unwrap(s.api.DELETE('/store/carts/{id}/items/{lineId}', { params }));
      return unwrap(s.api.PATCH('/store/carts/{id}/items/{lineId}', { params, body: { quantity } }));
    },
    onMutate: async ({ lineId, quantity }) => {
      const ctx = await snapshot(qc);
      if (ctx.before)
        qc.setQueryData<Cart>(
          CART_KEY,
          withQuantity(
            ctx.before,
            (l) => l.id === lineId,
            () => quantity,
          ),
        );
      return ctx;
    },
    onError: (_e, _v, ctx) => {
      if (ctx) qc.setQueryData(CART_KEY, ctx.before);
    },
    onSuccess: (cart, v, ctx) => {
      qc.setQueryData(CART_KEY, cart);
      if (ctx.before) trackLineChange(ctx.before, cart, v.lineId, v.quantity);
    },
  });
};

const isCart = (v: unknown): v is Cart =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { id?: unknown }).id === 'string' &&
  Array.isArray((v as { lines?: unknown }).lines);

/**
 * Follows the cart's live stream (Server-Sent Events): each `cart` event replaces the cached cart, so
 * a change made on another device or at the POS shows without a reload. EventSource cannot send
 * headers, so the channel key and the customer token (or the guest cart's token) go in the query
 * string. After an error the stream is opened again with a growing pause; the first event of a new
 * stream is the cart as it is now, so nothing missed stays missed.
 */
export const useCartStream = (cartId: string | undefined) => {
  const s = useShop();
  const qc = useQueryClient();
  const { channelKey, token, loggedIn } = s;
  useEffect(() => {
    if (!cartId || !channelKey || typeof EventSource === 'undefined') return;
    let es: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    const connect = () => {
      const qs = new URLSearchParams({ channel_key: channelKey });
      const guest = loggedIn ? null : readGuestCart();
      if (token) qs.set('access_token', token);
      else if (guest && guest.id === cartId) qs.set('cart_token', guest.token);
      es = new EventSource(`/store/carts/${encodeURIComponent(cartId)}/stream?${qs}`);
      es.addEventListener('cart', (e: MessageEvent<string>) => {
        failures = 0;
        let data: unknown;
        try {
          data = JSON.parse(e.data);
        } catch {
          return;
        }
        if (!isCart(data) || data.id !== cartId) return;
        if (data.status === 'active') qc.setQueryData(CART_KEY, data);
        else {
          // Checked out or merged elsewhere: find the cart that is current now.
          if (!loggedIn) writeGuestCart(null);
          void qc.invalidateQueries({ queryKey: CART_KEY });
        }
      });
      es.addEventListener('access_lost', () => {
        stopped = true;
        es?.close();
        void qc.invalidateQueries({ queryKey: CART_KEY });
      });
      es.onerror = () => {
        if (stopped) return;
        es?.close();
        failures += 1;
        const wait = Math.min(15_000, 1000 * 2 ** Math.min(failures - 1, 4));
        timer = setTimeout(connect, wait);
      };
    };
    // Back online (a phone leaving a tunnel): reconnect now rather than after the pause.
    const onOnline = () => {
      if (stopped || es?.readyState === EventSource.OPEN) return;
      if (timer) clearTimeout(timer);
      es?.close();
      connect();
    };
    connect();
    window.addEventListener('online', onOnline);
    return () => {
      stopped = true;
      window.removeEventListener('online', onOnline);
      if (timer) clearTimeout(timer);
      es?.close();
    };
  }, [cartId, channelKey, token, loggedIn, qc]);
};
