/**
 * Web Push to the shop's browsers (RFC 8030 with VAPID, RFC 8292, and aes128gcm payload encryption,
 * RFC 8291) through the `web-push` library: it builds the encrypted, signed request; Plaza sends it
 * under its own deadline. `to` is a subscription id (`mep_…`) from POST /store/push/subscriptions.
 */
import webpush from 'web-push';
import type { Config } from '../../../platform/config.ts';
import type { Db } from '../../../platform/db.ts';
import type { Deps } from '../../../platform/module.ts';
import { getSetting } from '../../../platform/settings.ts';
import { getEndpoint, revokeEndpoint } from '../endpoints.ts';
import type { MessageProvider, ProviderResult } from '../types.ts';
import { excerpt, failure, httpCall, isPermanentStatus } from './http.ts';

const NAME = 'web-push';
export const VAPID_SETTING = 'messaging.vapid';
/** How long a push service keeps an undelivered message (the browser may be offline): one day. */
const TTL_SECONDS = 86_400;

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

const vapidCache = new WeakMap<Config, Promise<VapidKeys>>();

const isKeys = (v: unknown): v is { publicKey: string; privateKey: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Record<string, unknown>).publicKey === 'string' &&
  typeof (v as Record<string, unknown>).privateKey === 'string';

/** The contact of generated keys: the From address of the shop's e-mail (push services want a real one). */
const subjectOf = (config: Config): string => {
  const from = config.messaging.mailFrom;
  return `mailto:${(/<([^>]+)>/.exec(from)?.[1] ?? from).trim()}`;
};

const loadVapid = async (db: Db, config: Config): Promise<VapidKeys> => {
  if (config.messaging.vapid) return config.messaging.vapid;
  const stored = await getSetting<unknown>(db, VAPID_SETTING);
  if (isKeys(stored))
    return { publicKey: stored.publicKey, privateKey: stored.privateKey, subject: subjectOf(config) };
  // Made once: the first process to insert wins, every other one reads the winner's pair.
  const fresh = webpush.generateVAPIDKeys();
  await db.query(
    `INSERT INTO plaza_settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`,
    [VAPID_SETTING, JSON.stringify(fresh)],
  );
  const won = await getSetting<unknown>(db, VAPID_SETTING);
  if (!isKeys(won)) throw new Error('the VAPID key pair could not be stored');
  return { publicKey: won.publicKey, privateKey: won.privateKey, subject: subjectOf(config) };
};

/**
 * The VAPID key pair: PLAZA_VAPID_PUBLIC_KEY/PRIVATE_KEY when set, else a pair generated on first use
 * and kept in plaza_settings (`messaging.vapid`), so every process and every restart signs alike.
 */
export const vapidKeys = (deps: Pick<Deps, 'db' | 'config'>): Promise<VapidKeys> => {
  let p = vapidCache.get(deps.config);
  if (!p) {
    p = loadVapid(deps.db, deps.config);
    vapidCache.set(deps.config, p);
    p.catch(() => vapidCache.delete(deps.config));
  }
  return p;
};

export const webPushProvider = (deps: Pick<Deps, 'db' | 'config' | 'clock' | 'log'>): MessageProvider => {
  const timeoutMs = deps.config.messaging.providerTimeoutMs;
  return {
    name: NAME,
    medium: 'web_push',
    async send(m): Promise<ProviderResult> {
      let ep: Awaited<ReturnType<typeof getEndpoint>>;
      let vapid: VapidKeys;
      try {
        ep = m.to.startsWith('mep_') ? await getEndpoint(deps.db, m.to) : undefined;
        vapid = await vapidKeys(deps);
      } catch (err) {
        return failure(NAME, `database: ${(err as Error).message}`, false);
      }
      if (ep?.kind !== 'web_push' || ep.revoked_at || !ep.p256dh || !ep.auth)
        return failure(NAME, `no live web push subscription ${m.to}`, true, false);
      const payload = JSON.stringify({
        title: m.title ?? '',
        body: m.text,
        url: m.url ?? null,
        send_id: m.sendId,
        tags: m.tags ?? {},
      });
      let details: webpush.RequestDetails;
      try {
        details = webpush.generateRequestDetails(
          { endpoint: ep.address, keys: { p256dh: ep.p256dh, auth: ep.auth } },
          payload,
          { vapidDetails: vapid, TTL: TTL_SECONDS, contentEncoding: 'aes128gcm' },
        );
      } catch (err) {
        // keys that do not make a valid subscription will never work
        await revokeEndpoint(deps.db, ep.id, deps.clock.now()).catch(() => undefined);
        return failure(NAME, `the subscription cannot be used: ${(err as Error).message}`, true, true);
      }
      const r = await httpCall(
        details.endpoint,
        { headers: details.headers, ...(details.body ? { body: details.body } : {}) },
        timeoutMs,
      );
      if (!r.ok) return failure(NAME, r.error, false);
      const { status, text } = r.answer;
      if (status >= 200 && status < 300)
        return { ok: true, provider: NAME, providerMessageId: r.answer.location ?? m.sendId };
      if (status === 404 || status === 410) {
        // the browser unsubscribed or the subscription expired: never use it again
        await revokeEndpoint(deps.db, ep.id, deps.clock.now()).catch(() => undefined);
        return failure(NAME, `HTTP ${status}: the subscription is gone`, true, true);
      }
      return failure(NAME, `HTTP ${status}: ${excerpt(text)}`, isPermanentStatus(status));
    },
  };
};
