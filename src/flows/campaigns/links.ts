/**
 * Tracked links (docs/campaigns.md, "Tracking"): every http(s) link of a message becomes
 * `<base>/t/c/<token>`, a signed redirect, and e-mail HTML gets an open pixel `<base>/t/o/<token>.gif`.
 *
 * A token is `base64url(sendId + "\n" + url) + "." + HMAC`, the HMAC keyed by a key derived from
 * PLAZA_PRIVACY_KEY (kept outside the database, src/platform/privacy-key.ts): a forged or altered
 * token is refused (404), so the redirect can never send anyone to an address Plaza did not put in
 * a message (no open redirect). Open tokens are signed under another label, so one kind cannot be
 * used as the other.
 */

import { unsubscribeSigner } from '../../modules/consent/index.ts';
import type { Medium } from '../../modules/messaging/types.ts';
import { hmacSha256, safeEqual } from '../../platform/crypto.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { MEDIUM_CHANNEL } from './gate.ts';
import type { RenderedMessage } from './templates.ts';

/** Plaza's public base URL for links in messages (PLAZA_PUBLIC_URL, else http://HOST:PORT). */
export const publicBaseUrl = (deps: Pick<Deps, 'config'>): string =>
  (deps.config.publicUrl ?? `http://${deps.config.host}:${deps.config.port}`).replace(/\/+$/, '');

const SEND_ID = /^msg_[0-9A-HJKMNP-TV-Z]{26}$/;
const SIG_LENGTH = 32;
type Purpose = 'click' | 'open' | 'unsubscribe';

const linkKey = (deps: Pick<Deps, 'config'>): string => {
  const pepper = deps.config.privacyPepper;
  if (!pepper)
    throw new Error('PLAZA_PRIVACY_KEY is not configured (src/platform/privacy-key.ts resolves it at start)');
  return hmacSha256(pepper, 'plaza:messaging:links:v1');
};

const sign = (deps: Pick<Deps, 'config'>, purpose: Purpose, payload: string): string =>
  hmacSha256(linkKey(deps), `${purpose}:${payload}`).slice(0, SIG_LENGTH);

const seal = (deps: Pick<Deps, 'config'>, purpose: Purpose, text: string): string => {
  const payload = Buffer.from(text, 'utf8').toString('base64url');
  return `${payload}.${sign(deps, purpose, payload)}`;
};

/** The text a token carries, or undefined when it is not one Plaza signed for this purpose. */
const open = (deps: Pick<Deps, 'config'>, purpose: Purpose, token: string): string | undefined => {
  if (token.length > 8192) return undefined;
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const payload = token.slice(0, dot);
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) return undefined;
  if (!safeEqual(sign(deps, purpose, payload), token.slice(dot + 1))) return undefined;
  return Buffer.from(payload, 'base64url').toString('utf8');
};

const isHttpUrl = (u: string): boolean => {
  try {
    const p = new URL(u);
    return (p.protocol === 'http:' || p.protocol === 'https:') && p.hostname.length > 0;
  } catch {
    return false;
  }
};

/** A signed click token for a link of a send. */
export const clickToken = (deps: Pick<Deps, 'config'>, sendId: string, url: string): string =>
  seal(deps, 'click', `${sendId}\n${url}`);

/** The send and target of a click token; undefined when forged, altered or not an http(s) URL. */
export const readClickToken = (
  deps: Pick<Deps, 'config'>,
  token: string,
): { sendId: string; url: string } | undefined => {
  const text = open(deps, 'click', token);
  const nl = text?.indexOf('\n') ?? -1;
  if (!text || nl < 0) return undefined;
  const sendId = text.slice(0, nl);
  const url = text.slice(nl + 1);
  // the URL as a Location header can carry it (non-ASCII characters percent-encoded)
  return SEND_ID.test(sendId) && isHttpUrl(url) ? { sendId, url: new URL(url).href } : undefined;
};

/** A signed open-pixel token for a send. */
export const openToken = (deps: Pick<Deps, 'config'>, sendId: string): string => seal(deps, 'open', sendId);

export const readOpenToken = (deps: Pick<Deps, 'config'>, token: string): string | undefined => {
  const sendId = open(deps, 'open', token);
  return sendId && SEND_ID.test(sendId) ? sendId : undefined;
};

/** The signed send id appended to an unsubscribe link (`?s=…`), so the unsubscribe is a touch of that send. */
export const unsubscribeSendToken = (deps: Pick<Deps, 'config'>, sendId: string): string =>
  seal(deps, 'unsubscribe', sendId);

export const readUnsubscribeSendToken = (deps: Pick<Deps, 'config'>, token: string): string | undefined => {
  const sendId = open(deps, 'unsubscribe', token);
  return sendId && SEND_ID.test(sendId) ? sendId : undefined;
};

const decodeEntities = (s: string): string =>
  s
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Links left as they are: not http(s), already tracked, or an unsubscribe link. */
const keep = (base: string, url: string): boolean =>
  !isHttpUrl(url) ||
  url.startsWith(`${base}/t/`) ||
  /\/(store\/)?unsubscribe\//i.test(url) ||
  /\/t\/u\//.test(url);

const HREF = /(\shref\s*=\s*)(["'])(.*?)\2/gi;
const BARE_URL = /https?:\/\/[^\s<>"'`]+/g;

/** Rewrites every http(s) URL of plain text (SMS, the e-mail text part); trailing punctuation stays outside. */
const rewriteText = (text: string, wrap: (url: string) => string | undefined): string =>
  text.replace(BARE_URL, (m) => {
    const trail = /[.,;:!?)\]]+$/.exec(m)?.[0] ?? '';
    const url = m.slice(0, m.length - trail.length);
    return `${wrap(url) ?? url}${trail}`;
  });

/**
 * Rewrites links to signed click redirects and adds the open pixel (e-mail HTML). E-mail: every
 * `href` of the HTML and every URL of the text part; SMS: the URLs of the text; push, web push,
 * banners and in-app messages: their `url`. mailto:, tel:, relative links and the unsubscribe
 * link are left as they are.
 */
export const instrument = (
  deps: Deps,
  rendered: RenderedMessage,
  send: { id: string; medium: string },
): RenderedMessage => {
  const base = publicBaseUrl(deps);
  const wrap = (url: string): string | undefined =>
    keep(base, url) ? undefined : `${base}/t/c/${clickToken(deps, send.id, url)}`;
  const out: RenderedMessage = { ...rendered };
  if (send.medium === 'email' || send.medium === 'sms') out.text = rewriteText(rendered.text, wrap);
  if (rendered.url) out.url = wrap(rendered.url) ?? rendered.url;
  if (send.medium === 'email' && rendered.html !== undefined) {
    const html = rendered.html.replace(HREF, (m, pre: string, quote: string, raw: string) => {
      const tracked = wrap(decodeEntities(raw.trim()));
      return tracked ? `${pre}${quote}${tracked}${quote}` : m;
    });
    const pixel = `<img src="${base}/t/o/${openToken(deps, send.id)}.gif" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" />`;
    const end = html.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
    out.html = end >= 0 ? `${html.slice(0, end)}${pixel}${html.slice(end)}` : `${html}${pixel}`;
  }
  return out;
};

/**
 * The RFC 8058 one-click unsubscribe URL of a customer for a medium (marketing purpose):
 * `<base>/t/u/<consent unsubscribe token>`, where a mail client POSTs `List-Unsubscribe=One-Click`
 * and a person clicking gets a page with a button (a GET never unsubscribes: mail scanners fetch
 * links). With a send id the unsubscribe is also recorded as a touch of that send.
 */
export const unsubscribeUrl = async (
  q: Queryable,
  deps: Deps,
  customerId: string,
  medium: string,
  sendId?: string,
): Promise<string | undefined> =>
  (await unsubscribeUrls(q, deps, [{ customerId, medium, ...(sendId ? { sendId } : {}) }]))[0];

/** unsubscribeUrl for many sends at once (the sender's batch): the signing key is read once. */
export const unsubscribeUrls = async (
  q: Queryable,
  deps: Deps,
  sends: readonly { customerId: string; medium: string; sendId?: string }[],
): Promise<(string | undefined)[]> => {
  if (sends.length === 0) return [];
  const sign = await unsubscribeSigner(q);
  return sends.map(({ customerId, medium, sendId }) => {
    const channel = MEDIUM_CHANNEL[medium as Medium];
    if (!channel) return undefined;
    const s = sendId && SEND_ID.test(sendId) ? `?s=${unsubscribeSendToken(deps, sendId)}` : '';
    return `${publicBaseUrl(deps)}/t/u/${sign(customerId, 'marketing', channel)}${s}`;
  });
};
