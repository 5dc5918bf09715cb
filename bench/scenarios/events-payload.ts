/**
 * Segment messages for the ingestion benchmark, as analytics.js and analytics-node send them: a mix of
 * track (65 %: Product Viewed most often, then Product List Viewed, Product Added …), page (25 %) and
 * identify (10 %) messages of about 1 KB each, with a browser `context`.
 *
 * Bodies are serialised once into templates with placeholders; a request only splices in fresh
 * messageIds and `sentAt` (string joins), so the load generator spends its CPU on sending, not on
 * JSON.stringify of 100 KB per request.
 */
import { Agent, request } from 'node:http';

const TRACKS: [string, number][] = [
  ['Product Viewed', 30],
  ['Product List Viewed', 10],
  ['Products Searched', 6],
  ['Product Added', 7],
  ['Cart Viewed', 4],
  ['Product Removed', 2],
  ['Checkout Started', 3],
  ['Product Clicked', 3],
];
const PAGES = ['Home', 'Category', 'Product', 'Search', 'Cart', 'Store Locator'];
const CATEGORIES = ['Jackets', 'Boots', 'Tents', 'Backpacks', 'Base Layers', 'Socks'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
];
const TRACK_WEIGHT = TRACKS.reduce((s, [, w]) => s + w, 0);

/** A small deterministic PRNG (mulberry32) so that every run sends the same messages. */
const rng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const MESSAGE_ID = '@@MID@@';
export const SENT_AT = '@@SENT@@';

const context = (r: () => number, visitor: number, page: string) => {
  const sku = `SKU-${Math.floor(r() * 5000)}`;
  return {
    ip: `203.0.113.${visitor % 250}`,
    userAgent: AGENTS[visitor % AGENTS.length],
    library: { name: 'analytics.js', version: 'npm:next-1.70.0' },
    locale: 'en-US',
    timezone: 'America/Los_Angeles',
    page: {
      path: `/${page.toLowerCase().replace(' ', '-')}`,
      referrer: visitor % 3 === 0 ? 'https://www.google.com/' : '',
      search: visitor % 5 === 0 ? '?utm_source=newsletter&utm_medium=email&utm_campaign=winter' : '',
      title: `${page} | Plaza Outfitters`,
      url: `https://shop.example.com/${page.toLowerCase().replace(' ', '-')}?ref=${sku}`,
    },
    ...(visitor % 5 === 0 ? { campaign: { name: 'winter', source: 'newsletter', medium: 'email' } } : {}),
    screen: { width: 1440, height: 900, density: 2 },
    userAgentData: {
      brands: [
        { brand: 'Chromium', version: '120' },
        { brand: 'Google Chrome', version: '120' },
      ],
      mobile: visitor % 3 === 1,
      platform: 'macOS',
    },
  };
};

/** One message (without messageId, which is a placeholder) for visitor `visitor`. */
export const message = (r: () => number, visitor: number, at: Date): Record<string, unknown> => {
  const ids = {
    anonymousId: `anon-${visitor.toString(36)}-7f3e9a1c-4b2d-4e8f-9a6b`,
    ...(visitor % 4 === 0 ? { userId: `user-${visitor}` } : {}),
  };
  const timestamp = at.toISOString();
  const kind = r();
  if (kind < 0.1) {
    return {
      type: 'identify',
      messageId: MESSAGE_ID,
      ...ids,
      userId: `user-${visitor}`,
      traits: {
        email: `visitor${visitor}@example.com`,
        firstName: `First${visitor}`,
        lastName: `Last${visitor % 997}`,
        plan: ['free', 'silver', 'gold'][visitor % 3],
        preferredStore: `Store ${visitor % 7}`,
      },
      context: context(r, visitor, 'Account'),
      timestamp,
    };
  }
  if (kind < 0.35) {
    const name = PAGES[Math.floor(r() * PAGES.length)] as string;
    return {
      type: 'page',
      messageId: MESSAGE_ID,
      ...ids,
      name,
      properties: { name, path: `/${name.toLowerCase()}`, title: `${name} | Plaza Outfitters` },
      context: context(r, visitor, name),
      timestamp,
    };
  }
  let pick = r() * TRACK_WEIGHT;
  let event = TRACKS[0]?.[0] as string;
  for (const [name, w] of TRACKS) {
    pick -= w;
    if (pick < 0) {
      event = name;
      break;
    }
  }
  const product = Math.floor(r() * 5000);
  return {
    type: 'track',
    messageId: MESSAGE_ID,
    ...ids,
    event,
    properties: {
      product_id: `prod_${product}`,
      sku: `SKU-${product}`,
      category: CATEGORIES[product % CATEGORIES.length],
      name: `Trail product ${product}`,
      brand: 'Plaza Outfitters',
      price: 19.99 + (product % 200),
      quantity: 1,
      currency: 'USD',
      position: product % 24,
      url: `https://shop.example.com/products/trail-product-${product}`,
    },
    context: context(r, visitor, 'Product'),
    timestamp,
  };
};

/** A serialised body split at its messageId placeholders (and the batch's sentAt), ready to be spliced. */
export interface Template {
  parts: string[];
  /** How many messages it holds (parts.length - 1 without a sentAt, minus one more with it). */
  messages: number;
}

const split = (body: string): Template => {
  const parts = body.split(`"${MESSAGE_ID}"`);
  return { parts, messages: parts.length - 1 };
};

/** `count` batch templates of `size` messages each, from `visitors` distinct visitors. */
export const batchTemplates = (count: number, size: number, visitors: number, seed = 11): Template[] => {
  const r = rng(seed);
  const at = new Date();
  return Array.from({ length: count }, () => {
    const batch = Array.from({ length: size }, () => message(r, Math.floor(r() * visitors), at));
    return split(JSON.stringify({ batch, sentAt: SENT_AT, context: { library: { name: 'analytics.js' } } }));
  });
};

/** `count` single-message templates (a /v1/track body each). */
export const trackTemplates = (count: number, visitors: number, seed = 13): Template[] => {
  const r = rng(seed);
  const at = new Date();
  return Array.from({ length: count }, () => {
    let m = message(r, Math.floor(r() * visitors), at);
    while (m.type !== 'track') m = message(r, Math.floor(r() * visitors), at);
    return split(JSON.stringify({ ...m, sentAt: SENT_AT }));
  });
};

/** The body for one request: fresh messageIds `${prefix}-0`, `${prefix}-1` … and sentAt = now. */
export const fill = (t: Template, prefix: string): string => {
  let out = t.parts[0] as string;
  for (let k = 1; k < t.parts.length; k++) out += `"${prefix}-${k - 1}"${t.parts[k]}`;
  return out.replace(`"${SENT_AT}"`, `"${new Date().toISOString()}"`);
};

const agents = new Map<string, Agent>();

/** POSTs a raw JSON body on a keep-alive connection. */
export const post = (
  base: string,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> => {
  let agent = agents.get(base);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: 256 });
    agents.set(base, agent);
  }
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: u.hostname,
        port: u.port,
        method: 'POST',
        path,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
};

/** Segment's HTTP Basic: the write key as user name, an empty password. */
export const basicAuth = (writeKey: string) => ({
  authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
});
