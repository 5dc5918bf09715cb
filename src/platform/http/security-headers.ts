/**
 * Security headers of every answer (API, errors, UI pages and assets), set in one onSend hook. A
 * header a route set itself is kept (a redirect's `no-referrer`).
 *
 * - Everywhere: `x-content-type-options: nosniff`, `referrer-policy: same-origin`, no framing
 *   (`x-frame-options: DENY`).
 * - UI pages (/console, /shop, /pos): the full CSP below (no inline scripts, `frame-ancestors 'none'`),
 *   a same-origin opener policy and a permissions policy. JSON answers carry no CSP: it governs
 *   documents, and X-Frame-Options already keeps every answer out of frames.
 * - `cross-origin-resource-policy: same-origin` on /admin, /console and /pos: only Plaza's own pages
 *   embed them. Not on /store, /v1, /assets or the rest: shops on other origins load those. CORS
 *   requests are not subject to it, so the CORS policy (cors.ts) is unchanged.
 * - `strict-transport-security` only when PLAZA_HSTS_MAX_AGE is set (clients reach Plaza over HTTPS,
 *   usually through a TLS-terminating proxy): a browser that saw it refuses plain HTTP for that long.
 */
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every answer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/** Headers of the UI pages besides the common ones. */
export const UI_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'geolocation=(self), camera=(self), microphone=(), payment=()',
};

const UI_PAGE = /^\/(console|shop|pos)(\/|$)/;
const SAME_ORIGIN_ONLY = /^\/(admin|console|pos)(\/|$)/;

export interface SecurityHeaderOptions {
  /** PLAZA_HSTS_MAX_AGE in seconds; 0 sends no Strict-Transport-Security. */
  hstsMaxAge: number;
}

/** Adds the onSend hook (on the root instance, before any route, so that it covers every answer). */
export const registerSecurityHeaders = (app: FastifyInstance, opts: SecurityHeaderOptions): void => {
  const hsts = opts.hstsMaxAge > 0 ? `max-age=${opts.hstsMaxAge}; includeSubDomains` : undefined;
  app.addHook('onSend', async (req, reply, payload) => {
    const path = req.url.split('?')[0] ?? '';
    const set = (name: string, value: string) => {
      if (!reply.hasHeader(name)) reply.header(name, value);
    };
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) set(name, value);
    if (UI_PAGE.test(path)) for (const [name, value] of Object.entries(UI_PAGE_HEADERS)) set(name, value);
    if (SAME_ORIGIN_ONLY.test(path)) set('cross-origin-resource-policy', 'same-origin');
    if (hsts) set('strict-transport-security', hsts);
    return payload;
  });
};
