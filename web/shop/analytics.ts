/**
 * The shop's events, named and shaped as Segment's e-commerce spec, sent through analytics.js on the
 * web channel's write key (`<meta name="plaza-write-key">`, written into the page by the server):
 * a page view on every route, Product List Viewed / Products Searched / Product Clicked (the home's
 * lists), Product Viewed, Product Added / Product Removed (every cart change,
 * from any screen), Cart Viewed (the drawer), Checkout Started; identify(customer id) at login and
 * reset at logout. analytics.js uses the same anonymous id as the API calls
 * (`x-plaza-anonymous-id`), so the cart and the events are the same device for Plaza.
 *
 * Consent: a logged-in shopper who refused or withdrew analytics (and granted it nowhere) sends
 * nothing; neither does a browser with Global Privacy Control on. The shop has no cookie banner, so
 * a guest's events are sent unless GPC says no (a retailer who needs prior consent adds a banner that
 * calls `shopAnalytics.allow`).
 */
import type { QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { decimalAmount, type Properties, Tracker } from '../kit/analytics.ts';
import { anonymousId, type components, metaContent, unwrap } from '../kit/api.ts';
import type { Cart, CartLine } from './cart.ts';
import { type ShopSession, useShop } from './session.tsx';

type Product = components['schemas']['StoreProduct'];
type Variant = Product['variants'][number];

export const shopAnalytics = new Tracker({ writeKey: metaContent('plaza-write-key'), anonymousId });

const money = (minor: number | null | undefined, currency: string): number | undefined =>
  minor === null || minor === undefined ? undefined : decimalAmount(minor, currency);

const lineProperties = (cart: Cart, l: CartLine, quantity = l.quantity): Properties => ({
  cart_id: cart.id,
  product_id: l.product_id ?? undefined,
  variant_id: l.variant_id ?? undefined,
  sku: l.sku,
  name: l.title,
  variant: l.variant_title ?? undefined,
  price: money(l.unit_price, cart.currency),
  quantity,
  currency: cart.currency,
  image_url: l.image_url ?? undefined,
});

/** The cart as Segment's Cart Viewed / Checkout Started describe it. */
const cartProperties = (cart: Cart): Properties => ({
  cart_id: cart.id,
  currency: cart.currency,
  value: money(cart.total, cart.currency),
  revenue: money(cart.subtotal - cart.discount_total, cart.currency),
  shipping: money(cart.shipping_total, cart.currency),
  tax: money(cart.tax_total, cart.currency),
  discount: money(cart.discount_total, cart.currency),
  coupon: cart.discount?.code,
  products: cart.lines.map((l, i) => ({ ...lineProperties(cart, l), position: i + 1 })),
});

export const trackProductViewed = (p: Product, v: Variant): void =>
  shopAnalytics.track('Product Viewed', {
    product_id: p.id,
    variant_id: v.id,
    sku: v.sku,
    name: p.title,
    variant: v.title,
    price: money(v.price?.amount, p.currency),
    currency: p.currency,
    url: window.location.href,
    image_url: p.image_urls[0],
  });

/** After Plaza took a change of `quantity` units (negative: removed) of the line with this SKU. */
export const trackCartChange = (cart: Cart, sku: string, quantity: number): void => {
  const line = cart.lines.find((l) => l.sku === sku);
  const props = line
    ? lineProperties(cart, line, Math.abs(quantity))
    : { cart_id: cart.id, sku, quantity: Math.abs(quantity), currency: cart.currency };
  if (quantity > 0) shopAnalytics.track('Product Added', props);
  else if (quantity < 0) shopAnalytics.track('Product Removed', props);
};

/** A removed line is gone from Plaza's answer: its properties come from the cart before. */
export const trackLineChange = (before: Cart, after: Cart, lineId: string, quantity: number): void => {
  const line = before.lines.find((l) => l.id === lineId);
  if (!line) return;
  const delta = quantity - line.quantity;
  if (delta === 0) return;
  const now = after.lines.find((l) => l.id === lineId);
  shopAnalytics.track(
    delta > 0 ? 'Product Added' : 'Product Removed',
    lineProperties(now ? after : before, now ?? line, Math.abs(delta)),
  );
};

/** Tracks `event` with the cart once per mount of the caller, when the cart has lines. */
export const useCartEvent = (
  event: 'Cart Viewed' | 'Checkout Started',
  cart: Cart | null | undefined,
  when = true,
): void => {
  const sent = useRef(false);
  useEffect(() => {
    if (!when) {
      sent.current = false;
      return;
    }
    if (sent.current || !cart || cart.lines.length === 0) return;
    sent.current = true;
    shopAnalytics.track(event, cartProperties(cart));
  }, [event, cart, when]);
};

/** A product of a list (the home, a category, a search), as Product List Viewed / Product Clicked describe it. */
export interface Listed {
  id: string;
  handle: string;
  title: string;
  price_min: number;
  currency: string;
}
const listedProperties = (p: Listed, position: number): Properties => ({
  product_id: p.id,
  name: p.title,
  price: money(p.price_min, p.currency),
  currency: p.currency,
  position,
  url: `${window.location.origin}/shop/p/${p.handle}`,
});

/**
 * Product List Viewed once per list shown (`key` names the list as asked: search, sort, filters), with
 * Products Searched before it for a search.
 */
export const useListViewed = (
  key: string,
  list: { listId: string; category?: string | undefined; query?: string | undefined },
  products: readonly Listed[] | undefined,
): void => {
  const sent = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per list, whatever else changes
  useEffect(() => {
    if (!products || sent.current === key) return;
    sent.current = key;
    if (list.query) shopAnalytics.track('Products Searched', { query: list.query });
    shopAnalytics.track('Product List Viewed', {
      list_id: list.listId,
      category: list.category,
      products: products.map((p, i) => listedProperties(p, i + 1)),
    });
  }, [key, products]);
};

export const trackProductClicked = (listId: string, p: Listed, position: number): void =>
  shopAnalytics.track('Product Clicked', { ...listedProperties(p, position), list_id: listId });

/** Is analytics allowed by the shopper's consent statements (`GET /store/customers/me/consents`)? */
export const analyticsConsented = (state: unknown): boolean => {
  const list = (state as { consents?: unknown } | null)?.consents;
  if (!Array.isArray(list)) return true;
  const statuses = list
    .filter((c: { purpose?: unknown }) => c?.purpose === 'analytics')
    .map((c: { status?: unknown }) => c?.status);
  const refused = statuses.some((s) => s === 'denied' || s === 'withdrawn');
  const granted = statuses.some((s) => s === 'granted' || s === 'pending');
  return granted || !refused;
};

const privacyControl = (): boolean =>
  (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;

const idle = (): Promise<void> =>
  new Promise((resolve) => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(() => resolve(), { timeout: 2000 });
    else setTimeout(resolve, 200);
  });

const askConsent = (qc: QueryClient, s: ShopSession): Promise<boolean> =>
  idle()
    .then(() =>
      qc.fetchQuery({
        queryKey: ['consents'],
        queryFn: () => unwrap(s.api.GET('/store/customers/me/consents')),
        staleTime: 60_000,
      }),
    )
    .then(analyticsConsented);

/** In the shop's frame: consent, and a page view on every route change. */
export const useShopAnalytics = (): void => {
  const s = useShop();
  const qc = useQueryClient();
  const { pathname, search } = useLocation();
  const { loggedIn } = s;
  // A logged-in shopper's consent is asked once the page is idle; events wait for the answer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: asked again on login or logout, not per client
  useEffect(() => {
    if (privacyControl()) shopAnalytics.allow(false);
    else if (loggedIn) shopAnalytics.waitFor(askConsent(qc, s));
    else shopAnalytics.allow(true);
  }, [loggedIn, qc]);
  // A choice saved on the preferences screen applies at once.
  useEffect(
    () =>
      qc.getQueryCache().subscribe((e) => {
        if (e.type !== 'updated' || e.query.queryKey[0] !== 'consents' || privacyControl()) return;
        if (e.action.type === 'success') shopAnalytics.allow(analyticsConsented(e.query.state.data));
      }),
    [qc],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: the address is read by page() itself
  useEffect(() => {
    shopAnalytics.page();
  }, [pathname, search]);
};
