/**
 * Tracking routes at the root, without credentials (docs/campaigns.md, "Tracking"):
 * - `GET /t/o/<token>.gif`: the open pixel, always a 1×1 transparent GIF (a bad token included, so
 *   nothing leaks); a valid one records `opened` (unique once per send, totals per minute), unless
 *   the console's mailbox shows the message (referrer /console/… on this host);
 * - `GET /t/c/<token>`: records `clicked` and redirects (302) to the link the token carries; a
 *   forged or altered token is a 404 problem, never a redirect;
 * - `GET /t/u/<token>`: a small page with a button that confirms the unsubscribe;
 * - `POST /t/u/<token>`: the RFC 8058 one-click unsubscribe (mail clients POST
 *   `List-Unsubscribe=One-Click`) and the page's button: withdraws the consent the token names.
 * Tokens are long: the routes take them as a wildcard (`/t/c/*`), which has no length limit.
 */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { unsubscribe } from '../../modules/consent/index.ts';
import { getSend, type SendRow } from '../../modules/messaging/index.ts';
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { Obj, Str } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { readClickToken, readOpenToken, readUnsubscribeSendToken } from './links.ts';
import { recordTouches, type Touch } from './touches.ts';
import { withCampaignUtm } from './utm.ts';

/**
 * A message shown by Plaza's own console (the mailbox, a preview) loads its pixel with the console's
 * page as referrer: staff reading it is not the customer opening it.
 */
const fromConsole = (req: FastifyRequest): boolean => {
  const ref = req.headers.referer;
  if (!ref) return false;
  try {
    const u = new URL(ref);
    return u.host === req.headers.host && (u.pathname === '/console' || u.pathname.startsWith('/console/'));
  } catch {
    return false;
  }
};

const tags = ['campaigns'];
const security: [] = [];
const config = { public: true };

/** The smallest transparent GIF (1×1, 43 bytes). */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

// The tracking routes are links inside messages (mail clients, not API clients follow them), and their
// signed tokens are longer than the router's 100-character path parameters, hence the wildcard; they
// are left out of /openapi.json (`hide`) and documented in docs/campaigns.md ("Tracking").
const Wildcard = Obj({ '*': Str({ min: 1, max: 8192 }) });
const minute = (d: Date) => Math.floor(d.getTime() / 60_000);

const touchOf = (s: SendRow, kind: Touch['kind'], at: Date, messageId: string, properties = {}): Touch => ({
  kind,
  medium: s.medium,
  at,
  messageId,
  sendId: s.id,
  campaignId: s.campaign_id,
  journeyId: s.journey_id,
  customerId: s.customer_id,
  variant: s.variant,
  holdout: s.status === 'holdout',
  properties,
});

/** Records a touch of a send (in one transaction); a failure is logged, never shown to the recipient. */
const record = async (
  db: Db,
  deps: Deps,
  req: FastifyRequest,
  sendId: string,
  make: (s: SendRow) => Touch,
): Promise<SendRow | undefined> => {
  try {
    return await db.tx(async (tx) => {
      const s = await getSend(tx, sendId);
      if (s) await recordTouches(tx, deps, [make(s)]);
      return s;
    });
  } catch (err) {
    req.log.warn({ err }, 'campaigns: a touch could not be recorded');
    return undefined;
  }
};

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>` +
  '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}' +
  'button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #333;background:#222;color:#fff;cursor:pointer}</style>' +
  `</head><body>${body}</body></html>`;

const html = (reply: FastifyReply, status: number, text: string) =>
  reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .serializer((s) => String(s))
    .send(text);

const unsubscribeRoutes = (app: HttpApp, deps: Deps): void => {
  const Query = Obj({ s: Type.Optional(Str({ max: 200 })) });
  app.get(
    '/t/u/*',
    {
      config,
      schema: {
        operationId: 'getUnsubscribePage',
        tags,
        security,
        summary:
          'The unsubscribe link of a message: a page with a button that confirms (a GET changes nothing)',
        params: Wildcard,
        hide: true,
        querystring: Query,
        produces: ['text/html'],
        response: { 200: Type.String({ description: 'text/html' }) },
      },
    },
    async (req, reply) => {
      const s = req.query.s ? `?s=${encodeURIComponent(req.query.s)}` : '';
      const action = escapeHtml(`/t/u/${encodeURIComponent(req.params['*'])}${s}`);
      return html(
        reply,
        200,
        page(
          'Unsubscribe',
          '<h1>Unsubscribe</h1><p>Stop receiving these marketing messages?</p>' +
            `<form method="post" action="${action}"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
            '<button type="submit">Unsubscribe</button></form>',
        ),
      );
    },
  );

  // RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` (form-urlencoded or multipart).
  app.register(async (child) => {
    const oneClick = child as HttpApp;
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data']) {
      oneClick.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 4096 }, (_req, _body, done) =>
        done(null, {}),
      );
    }
    oneClick.post(
      '/t/u/*',
      {
        config,
        schema: {
          operationId: 'unsubscribeFromMessage',
          tags,
          security,
          problems: ['NOT_FOUND'],
          summary:
            'One-click unsubscribe (RFC 8058) from a marketing message: withdraws the consent the token names',
          description:
            'Accepts an empty body, JSON, or the RFC 8058 form body `List-Unsubscribe=One-Click`. Idempotent. ' +
            'Answers HTML to a browser (Accept: text/html), JSON otherwise. With `s` (the signed send id the link ' +
            'carries) the unsubscribe is also an `Unsubscribed` touch of that send.',
          params: Wildcard,
          hide: true,
          querystring: Query,
          response: {
            200: Type.Object({
              unsubscribed: Type.Literal(true),
              purpose: Type.String(),
              channel: Type.String(),
            }),
          },
        },
      },
      async (req, reply) => {
        const proof = {
          ip: req.ip,
          userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
          formVersion: null,
        };
        const sendId = req.query.s ? readUnsubscribeSendToken(deps, req.query.s) : undefined;
        const r = await deps.db.tx(async (tx) => {
          const done = await unsubscribe(tx, deps, req.params['*'], proof);
          const s = sendId ? await getSend(tx, sendId) : undefined;
          if (s) {
            await recordTouches(tx, deps, [
              touchOf(s, 'unsubscribed', deps.clock.now(), `touch:${s.id}:unsubscribed`, {
                purpose: done.purpose,
                channel: done.channel,
              }),
            ]);
          }
          return done;
        });
        if (String(req.headers.accept ?? '').includes('text/html')) {
          return html(
            reply,
            200,
            page(
              'Unsubscribed',
              '<h1>You are unsubscribed</h1><p>You will not receive these messages any more.</p>',
            ),
          );
        }
        reply.header('cache-control', 'no-store');
        return { unsubscribed: true as const, ...r };
      },
    );
  });
};

export const trackingRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/t/o/*',
    {
      config,
      schema: {
        operationId: 'trackMessageOpen',
        tags,
        security,
        summary: 'Open pixel of an e-mail: a 1×1 transparent GIF, whatever the token',
        params: Wildcard,
        hide: true,
        produces: ['image/gif'],
        response: {
          200: {
            description: 'A 1×1 transparent GIF (43 bytes)',
            content: { 'image/gif': { schema: { type: 'string', maxLength: 100 } } },
          },
        },
      },
    },
    async (req, reply) => {
      const sendId = readOpenToken(deps, req.params['*'].replace(/\.gif$/i, ''));
      if (sendId && !fromConsole(req)) {
        const now = deps.clock.now();
        await record(deps.db, deps, req, sendId, (s) =>
          touchOf(s, 'opened', now, `touch:${s.id}:opened:${minute(now)}`),
        );
      }
      return reply
        .code(200)
        .header('cache-control', 'no-store, no-cache, must-revalidate, max-age=0')
        .header('expires', '0')
        .type('image/gif')
        .send(PIXEL_GIF);
    },
  );

  app.get(
    '/t/c/*',
    {
      config,
      schema: {
        operationId: 'trackMessageClick',
        tags,
        security,
        problems: ['NOT_FOUND'],
        summary: 'A tracked link: records the click and redirects to the link Plaza signed (never elsewhere)',
        params: Wildcard,
        hide: true,
        response: { 302: Type.Null({ description: 'Found: `Location` is the link of the message' }) },
      },
    },
    async (req, reply) => {
      const link = readClickToken(deps, req.params['*']);
      if (!link) throw notFound('Link');
      const now = deps.clock.now();
      const urlHash = createHash('sha256').update(link.url).digest('hex').slice(0, 12);
      const s = await record(deps.db, deps, req, link.sendId, (row) =>
        touchOf(row, 'clicked', now, `touch:${row.id}:clicked:${urlHash}:${minute(now)}`, { url: link.url }),
      );
      const target = s ? await withCampaignUtm(deps.db, link.url, s).catch(() => link.url) : link.url;
      return reply
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .redirect(target, 302);
    },
  );

  unsubscribeRoutes(app, deps);
};
