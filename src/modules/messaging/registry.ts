/**
 * The providers of the sent media, chosen by configuration (docs/campaigns.md, "Media and providers"):
 * e-mail over SMTP (PLAZA_SMTP_URL) or into the built-in mailbox; SMS by signed webhook or Twilio;
 * app push by signed webhook or FCM; Web Push with VAPID.
 */
import type { Config } from '../../platform/config.ts';
import type { Deps } from '../../platform/module.ts';
import { getEndpoint, revokeEndpointByAddress } from './endpoints.ts';
import { smtpProvider } from './providers/email-smtp.ts';
import { mailboxProvider } from './providers/mailbox.ts';
import { fcmProvider, readServiceAccount } from './providers/push-fcm.ts';
import { pushWebhookProvider } from './providers/push-webhook.ts';
import { twilioProvider } from './providers/sms-twilio.ts';
import { smsWebhookProvider } from './providers/sms-webhook.ts';
import { webPushProvider } from './providers/web-push.ts';
import type { MessageProvider, SentMedium } from './types.ts';

export interface ProviderRegistry {
  /** The provider of a medium, or undefined when none is configured (e-mail always has the mailbox). */
  get(medium: SentMedium): MessageProvider | undefined;
  close(): Promise<void>;
}

const cache = new WeakMap<Config, ProviderRegistry>();

/** Plaza's public base URL (PLAZA_PUBLIC_URL, else http://HOST:PORT), for the callbacks providers call. */
export const publicBase = (config: Config): string =>
  (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');

/** The StatusCallback URL given to Twilio (PLAZA_TWILIO_STATUS_CALLBACK_URL, else {public URL}/hooks/messaging/twilio). */
export const twilioCallbackUrl = (config: Config): string =>
  config.messaging.sms.status_callback_url ?? `${publicBase(config)}/hooks/messaging/twilio`;

/** An FCM token, or the token of a device id (`mep_…`) that is live. */
const deviceToken =
  (deps: Deps) =>
  async (to: string): Promise<string | undefined> => {
    if (!to.startsWith('mep_')) return to;
    const ep = await getEndpoint(deps.db, to);
    return ep && ep.kind === 'fcm' && !ep.revoked_at ? ep.address : undefined;
  };

const smsProvider = (deps: Deps): MessageProvider | undefined => {
  const { sms, providerTimeoutMs: timeoutMs } = deps.config.messaging;
  if (sms.provider === 'webhook') {
    if (!sms.webhook_url) {
      deps.log.error('messaging: PLAZA_SMS_PROVIDER=webhook needs PLAZA_SMS_WEBHOOK_URL; SMS is off');
      return undefined;
    }
    return smsWebhookProvider({
      url: sms.webhook_url,
      secret: sms.webhook_secret,
      timeoutMs,
      clock: deps.clock,
    });
  }
  if (sms.provider === 'twilio') {
    if (!sms.account_sid || !sms.auth_token || !(sms.from || sms.messaging_service_sid)) {
      deps.log.error(
        'messaging: PLAZA_SMS_PROVIDER=twilio needs PLAZA_TWILIO_ACCOUNT_SID, PLAZA_TWILIO_AUTH_TOKEN and PLAZA_TWILIO_FROM (or PLAZA_TWILIO_MESSAGING_SERVICE_SID); SMS is off',
      );
      return undefined;
    }
    return twilioProvider({
      accountSid: sms.account_sid,
      authToken: sms.auth_token,
      ...(sms.from ? { from: sms.from } : {}),
      ...(sms.messaging_service_sid ? { messagingServiceSid: sms.messaging_service_sid } : {}),
      baseUrl: sms.base_url ?? 'https://api.twilio.com',
      statusCallback: twilioCallbackUrl(deps.config),
      timeoutMs,
    });
  }
  return undefined;
};

const pushProvider = (deps: Deps): MessageProvider | undefined => {
  const { push, providerTimeoutMs: timeoutMs } = deps.config.messaging;
  if (push.provider === 'webhook') {
    if (!push.webhook_url) {
      deps.log.error('messaging: PLAZA_PUSH_PROVIDER=webhook needs PLAZA_PUSH_WEBHOOK_URL; app push is off');
      return undefined;
    }
    const resolve = deviceToken(deps);
    const inner = pushWebhookProvider({
      url: push.webhook_url,
      secret: push.webhook_secret,
      timeoutMs,
      clock: deps.clock,
    });
    return {
      name: inner.name,
      medium: inner.medium,
      async send(m) {
        const to = await resolve(m.to).catch(() => undefined);
        if (!to) return { ok: false, provider: inner.name, permanent: true, error: `no device ${m.to}` };
        return inner.send({ ...m, to });
      },
    };
  }
  if (push.provider === 'fcm') {
    let sa: ReturnType<typeof readServiceAccount>;
    try {
      sa = readServiceAccount(push.service_account ?? '');
    } catch (err) {
      deps.log.error(
        { err },
        'messaging: PLAZA_FCM_SERVICE_ACCOUNT must be a service account key (JSON text or a file path); app push is off',
      );
      return undefined;
    }
    const projectId = push.project_id ?? sa.project_id;
    if (!projectId) {
      deps.log.error(
        'messaging: FCM needs PLAZA_FCM_PROJECT_ID (or project_id in the service account); app push is off',
      );
      return undefined;
    }
    return fcmProvider({
      serviceAccount: sa,
      projectId,
      baseUrl: push.base_url ?? 'https://fcm.googleapis.com',
      tokenUrl: push.token_url ?? sa.token_uri,
      timeoutMs,
      clock: deps.clock,
      resolve: deviceToken(deps),
      onDeadToken: async (token) => {
        await revokeEndpointByAddress(deps.db, 'fcm', token, deps.clock.now());
      },
    });
  }
  return undefined;
};

const build = (deps: Deps): ProviderRegistry => {
  const m = deps.config.messaging;
  const email = m.smtpUrl
    ? smtpProvider({
        url: m.smtpUrl,
        poolSize: m.smtpPoolSize,
        from: m.mailFrom,
        dkim: m.dkim,
        timeoutMs: m.providerTimeoutMs,
        log: deps.log,
      })
    : mailboxProvider({ db: deps.db, clock: deps.clock, from: m.mailFrom, log: deps.log });
  const byMedium: Record<SentMedium, MessageProvider | undefined> = {
    email,
    sms: smsProvider(deps),
    push: pushProvider(deps),
    web_push: webPushProvider(deps),
  };
  const registry: ProviderRegistry = {
    get: (medium) => byMedium[medium],
    close: async () => {
      cache.delete(deps.config);
      await Promise.all(Object.values(byMedium).map((p) => p?.close?.()));
    },
  };
  return registry;
};

/** The providers configured by `deps.config.messaging`, built once per configuration and cached. */
export const providers = (deps: Deps): ProviderRegistry => {
  let r = cache.get(deps.config);
  if (!r) {
    r = build(deps);
    cache.set(deps.config, r);
  }
  return r;
};
