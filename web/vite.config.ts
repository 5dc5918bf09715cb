import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = import.meta.dirname;
const APPS = ['console', 'shop', 'pos'] as const;
const api = process.env.PLAZA_API ?? 'http://127.0.0.1:9000';

/** In `npm run dev`, /console/orders/123 answers console/index.html (the server does the same in production). */
const spaFallback = (): Plugin => ({
  name: 'plaza-spa-fallback',
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      const url = req.url ?? '/';
      const app = APPS.find((a) => url === `/${a}` || url.startsWith(`/${a}/`));
      const path = url.split('?')[0] ?? url;
      if (app && !path.includes('.') && !existsSync(resolve(root, `.${path}`)))
        req.url = `/${app}/index.html`;
      next();
    });
  },
});

/**
 * In `npm run dev` the shop's page takes the channel key meta tag from the running API's own /shop/
 * page (the server writes it there from the web channel), so the dev shop talks to the same channel.
 */
const devShopKey = (): Plugin => ({
  name: 'plaza-dev-shop-key',
  apply: 'serve',
  async transformIndexHtml(html, ctx) {
    if (!ctx.path.startsWith('/shop/')) return html;
    try {
      const page = await (await fetch(`${api}/shop/`)).text();
      const meta = /<meta name="plaza-channel-key"[^>]*>/.exec(page)?.[0];
      return meta ? html.replace('</head>', `${meta}</head>`) : html;
    } catch {
      return html;
    }
  },
});

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), spaFallback(), devShopKey()],
  resolve: { alias: { '@plaza/client': resolve(root, '../client/src/index.ts') } },
  build: {
    outDir: process.env.PLAZA_WEB_OUT ?? resolve(root, 'dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: Object.fromEntries(APPS.map((a) => [a, resolve(root, a, 'index.html')])),
    },
  },
  server: {
    port: Number(process.env.PLAZA_WEB_PORT ?? 5173),
    proxy: Object.fromEntries(
      ['/admin', '/store', '/v1', '/openapi.json', '/health'].map((p) => [
        p,
        { target: api, changeOrigin: false },
      ]),
    ),
  },
});
