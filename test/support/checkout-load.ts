/**
 * Checkout load against running Plaza processes, for fault scenarios: a shop built over HTTP, and
 * shoppers that create a cart, choose shipping and check out in a loop, round-robin over the
 * processes. Every answer is recorded (status, code, Retry-After, time), including network errors.
 */
import { TEST_CARDS } from '../../src/modules/payments/index.ts';
import { TEST_ADMIN_TOKEN } from './processes.ts';

export interface Sample {
  /** Index of the process that answered. */
  proc: number;
  step: 'cart' | 'fulfillment' | 'checkout';
  /** HTTP status, or 0 when the request failed at the network level. */
  status: number;
  code?: string;
  retryAfter?: string;
  contentType?: string;
  /** When the answer arrived (Date.now()), and how long it took. */
  at: number;
  ms: number;
}

export interface LoadShop {
  key: string;
  sku: string;
  channelId: string;
  locationId: string;
  productId: string;
  variantId: string;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers | undefined;
}

const send = async (
  base: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Answer> => {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed, headers: res.headers };
  } catch {
    return { status: 0, body: {}, headers: undefined };
  }
};

/** Builds a web channel, a warehouse and one product with plenty of stock, through process `base`. */
export const createLoadShop = async (base: string, units = 100_000): Promise<LoadShop> => {
  const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await send(base, method, `/admin${path}`, body, auth);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const tag = Math.random().toString(36).slice(2, 8);
  const ch = await admin('POST', '/channels', {
    type: 'web',
    name: `Load ${tag}`,
    currency: 'USD',
    locale: 'en-US',
  });
  const key = (await admin('POST', `/channels/${ch.id}/keys`, {})).key as string;
  const loc = await admin('POST', '/locations', {
    name: `Load warehouse ${tag}`,
    type: 'warehouse',
    address: { line1: '1 Dock Rd', city: 'Portland', postal_code: '97205', country: 'US' },
    timezone: 'America/Los_Angeles',
  });
  await admin('PUT', `/channels/${ch.id}/locations`, { location_ids: [loc.id] });
  const sku = `LOAD-${tag}`;
  const p = await admin('POST', '/products', {
    title: 'Load tee',
    status: 'published',
    variants: [{ sku, prices: [{ channel_id: ch.id, amount: 2500 }] }],
  });
  await admin('PUT', `/products/${p.id}/channels/${ch.id}`);
  await admin('POST', '/inventory/adjustments', {
    sku,
    location_id: loc.id,
    kind: 'receipt',
    delta: units,
    reason: 'load stock',
  });
  const variantId = ((await admin('GET', `/products/${p.id}`)).variants as { id: string }[])[0]?.id as string;
  return {
    key,
    sku,
    channelId: ch.id as string,
    locationId: loc.id as string,
    productId: p.id as string,
    variantId,
  };
};

export interface Load {
  samples: Sample[];
  /** Stops the shoppers and waits for the requests in flight. */
  stop(): Promise<void>;
}

/** Starts `shoppers` loops of cart → shipping → checkout, each on the processes in turn. */
export const startCheckoutLoad = (bases: readonly string[], shop: LoadShop, shoppers: number): Load => {
  const samples: Sample[] = [];
  let running = true;
  let n = 0;
  const address = { name: 'A', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' };
  const record = (proc: number, step: Sample['step'], started: number, r: Answer): boolean => {
    const at = Date.now();
    samples.push({
      proc,
      step,
      status: r.status,
      code: typeof r.body.code === 'string' ? r.body.code : undefined,
      retryAfter: r.headers?.get('retry-after') ?? undefined,
      contentType: r.headers?.get('content-type') ?? undefined,
      at,
      ms: at - started,
    });
    return r.status >= 200 && r.status < 300;
  };
  const shopper = async (s: number) => {
    while (running) {
      const i = n++;
      const proc = (s + i) % bases.length;
      const base = bases[proc] as string;
      const key = { 'x-plaza-channel-key': shop.key };
      let t = Date.now();
      const cart = await send(base, 'POST', '/store/carts', { items: [{ sku: shop.sku, quantity: 1 }] }, key);
      if (!record(proc, 'cart', t, cart)) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const id = (cart.body.cart as { id: string }).id;
      const headers = { ...key, 'x-plaza-cart-token': cart.body.cart_token as string };
      t = Date.now();
      const f = await send(
        base,
        'PUT',
        `/store/carts/${id}/fulfillment`,
        { type: 'shipping', address },
        headers,
      );
      if (!record(proc, 'fulfillment', t, f)) continue;
      t = Date.now();
      const c = await send(
        base,
        'POST',
        `/store/carts/${id}/checkout`,
        {
          email: `load${i}@example.com`,
          payment: { provider: 'test-card', card_number: TEST_CARDS.approve },
        },
        { ...headers, 'idempotency-key': `load-${i}-${Math.random().toString(36).slice(2)}` },
      );
      record(proc, 'checkout', t, c);
    }
  };
  const loops = Array.from({ length: shoppers }, (_, s) => shopper(s));
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
};

/** First successful answer of process `proc` at or after `from`. */
export const firstSuccessAfter = (
  samples: readonly Sample[],
  proc: number,
  from: number,
): Sample | undefined =>
  samples
    .filter((s) => s.proc === proc && s.at >= from && s.status >= 200 && s.status < 300)
    .sort((a, b) => a.at - b.at)[0];
