/**
 * Serves the built UI (web/dist) on the API's port: the console at /console, the web shop at /shop
 * and the POS at /pos. Hashed assets under /assets are immutable and served pre-compressed (brotli or
 * gzip, made at build time); every other path of an app answers its index.html (SPA fallback). Their
 * security headers (a CSP without inline scripts, nosniff, a strict referrer policy, no framing) are
 * set with every other answer's, in one hook (security-headers.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const UI_APPS = ['console', 'shop', 'pos'] as const;
export type UiApp = (typeof UI_APPS)[number];

export interface UiOptions {
  /** The built UI (`web/dist`); when it is missing the apps answer 503 with how to build it. */
  distDir: string;
  /** The publishable key the web shop uses (written into its page as `<meta name="plaza-channel-key">`). */
  shopChannelKey: () => Promise<string | undefined>;
  /** The write key the shop's analytics.js uses (its page's `<meta name="plaza-write-key">`, docs/event-sources.md). */
  shopWriteKey?: () => Promise<string | undefined>;
}

const escapeAttr = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Plaza UI not built</title>
<body><h1>The Plaza UI is not built</h1><p>Run <code>npm run build:web</code> (npm install does it) and reload.</p></body></html>`;

/** Registers /assets and the three apps. */
export const registerUi = async (app: FastifyInstance, opts: UiOptions): Promise<void> => {
  const built = existsSync(join(opts.distDir, 'assets'));
  const pages = new Map<UiApp, string>();
  if (built) {
    for (const a of UI_APPS) {
      const file = join(opts.distDir, a, 'index.html');
      if (existsSync(file)) pages.set(a, readFileSync(file, 'utf8'));
    }
    await app.register(fastifyStatic, {
      root: join(opts.distDir, 'assets'),
      prefix: '/assets/',
      preCompressed: true,
      immutable: true,
      maxAge: '365d',
      index: false,
      wildcard: true,
    });
  }

  const send = async (reply: FastifyReply, uiApp: UiApp) => {
    reply.header('cache-control', 'no-cache');
    const page = pages.get(uiApp);
    if (!page) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    let html = page;
    if (uiApp === 'shop') {
      const [key, writeKey] = await Promise.all([opts.shopChannelKey(), opts.shopWriteKey?.()]);
      const meta = key ? `<meta name="plaza-channel-key" content="${escapeAttr(key)}" />` : '';
      const wk = writeKey ? `\n    <meta name="plaza-write-key" content="${escapeAttr(writeKey)}" />` : '';
      html = html.replace('</head>', `    ${meta}${wk}\n  </head>`);
    }
    return reply.type('text/html; charset=utf-8').send(html);
  };

  for (const uiApp of UI_APPS) {
    app.get(`/${uiApp}`, { schema: { hide: true } }, (_req, reply) => reply.redirect(`/${uiApp}/`, 301));
    app.get(`/${uiApp}/*`, { schema: { hide: true } }, (_req, reply) => send(reply, uiApp));
  }
};
