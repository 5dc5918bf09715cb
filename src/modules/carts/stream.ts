import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LiveHub } from '../../platform/live.ts';
import type { Deps } from '../../platform/module.ts';
import { type CartCaller, mayOpen } from './access.ts';
import { getCart, linesOf, watchCart } from './repo.ts';
import { type PricingChannel, priceCart } from './view.ts';

const HEARTBEAT_MS = 15_000;
/** How often an open stream renews its cart's watch mark (which lasts two minutes). */
const WATCH_RENEW_MS = 60_000;

/**
 * Streams a cart as Server-Sent Events: the full priced cart at once, then again each time any
 * process changes it (NOTIFY → hub), coalescing bursts. A stream whose caller loses access to the
 * cart (it was attached to an account) ends with an `access_lost` event.
 */
export const streamCart = async (
  req: FastifyRequest,
  reply: FastifyReply,
  deps: Deps,
  hub: LiveHub,
  open: Set<() => void>,
  cartId: string,
  channel: PricingChannel,
  who: CartCaller,
): Promise<void> => {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': req.id,
  });
  let sent = 0;
  let wanted = 0;
  let busy = false;
  let closed = false;
  /** Set after the LISTEN connection came back: changes may have been missed, send the cart again. */
  let resync = false;

  const push = async (): Promise<void> => {
    if (busy || closed) return;
    busy = true;
    try {
      while (!closed && (wanted > sent || resync)) {
        resync = false;
        const target = wanted;
        const cart = await getCart(deps.db, cartId);
        if (!cart || !mayOpen(cart, who)) {
          raw.write(`event: access_lost\ndata: ${JSON.stringify({ cart_id: cartId })}\n\n`);
          close();
          return;
        }
        const view = await priceCart(
          deps.db,
          cart,
          await linesOf(deps.db, cartId),
          channel,
          deps.clock.now(),
        );
        if (closed) return;
        raw.write(`id: ${view.version}\nevent: cart\ndata: ${JSON.stringify(view)}\n\n`);
        sent = Math.max(target, view.version);
      }
    } catch (e) {
      // A stream that cannot refresh (the database is away) ends rather than go stale: EventSource
      // reconnects after the `retry` hint and gets a fresh snapshot.
      req.log.warn({ err: e, cartId }, 'cart stream refresh failed; closing it');
      close();
    } finally {
      busy = false;
    }
    if (!closed && (wanted > sent || resync)) void push();
  };

  const unsubscribe = hub.subscribe(
    cartId,
    (version) => {
      wanted = Math.max(wanted, version);
      void push();
    },
    () => {
      // The LISTEN connection was lost and is back: renew the watch mark (it may have lapsed), then
      // send the cart as it is now.
      watchCart(deps.db, cartId).then(
        () => {
          resync = true;
          void push();
        },
        (e) => {
          req.log.warn({ err: e, cartId }, 'cart stream could not resync; closing it');
          close();
        },
      );
    },
  );
  const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
  const renew = setInterval(() => {
    watchCart(deps.db, cartId).catch((e) => req.log.warn({ err: e, cartId }, 'cart watch renewal failed'));
  }, WATCH_RENEW_MS);
  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearInterval(renew);
    unsubscribe();
    open.delete(close);
    raw.end();
  }
  open.add(close);
  // The response closes when the client goes away (the request's own 'close' fires once it is read).
  raw.on('close', close);
  raw.write('retry: 2000\n\n');
  // Changes are announced only for watched carts: mark it before the first read (see watchCart).
  try {
    await watchCart(deps.db, cartId);
  } catch (e) {
    req.log.warn({ err: e, cartId }, 'cart stream could not start');
    close();
    return;
  }
  wanted = 1;
  await push();
};
