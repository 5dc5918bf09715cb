/** The one interface every medium's provider implements (docs/campaigns.md, "Media and providers"). */

/** Media a message can be sent on by a provider. Banners, in-app, print, ads and POS are shown, not sent. */
export const SENT_MEDIA = ['email', 'sms', 'push', 'web_push'] as const;
export type SentMedium = (typeof SENT_MEDIA)[number];

/** Every medium of the ledger. */
export const MEDIA = ['email', 'sms', 'push', 'web_push', 'banner', 'in_app', 'print', 'ads', 'pos'] as const;
export type Medium = (typeof MEDIA)[number];

/** A message ready for a provider: rendered, tracked, addressed. */
export interface OutgoingMessage {
  /** The ledger row (`msg_…`); providers that accept one use it as their idempotency key. */
  sendId: string;
  medium: SentMedium;
  /** E-mail address, E.164 phone, FCM token, or Web Push endpoint id (`mep_…`). */
  to: string;
  customerId: string;
  marketing: boolean;
  /** email */
  subject?: string;
  html?: string;
  /** email text part; the SMS text; the push body */
  text: string;
  /** push and web push */
  title?: string;
  url?: string;
  /** RFC 8058 one-click unsubscribe URL (marketing e-mail): sets List-Unsubscribe and List-Unsubscribe-Post. */
  unsubscribeUrl?: string;
  /** Extra headers or provider data (campaign id, variant …). */
  tags?: Record<string, string>;
}

export type ProviderResult =
  | { ok: true; provider: string; providerMessageId: string }
  | {
      ok: false;
      provider: string;
      /** true: retrying cannot help (invalid address, hard bounce); false: retry with backoff. */
      permanent: boolean;
      /** the address hard-bounced or is no longer valid (suppress it) */
      bounce?: boolean;
      error: string;
    };

export interface MessageProvider {
  /** Stable name stored in `message_sends.provider` (`smtp`, `mailbox`, `twilio`, `sms-webhook`, `fcm`, `push-webhook`, `web-push`). */
  readonly name: string;
  readonly medium: SentMedium;
  /** Sends one message; never throws (a failure is a result), and gives up after the configured timeout. */
  send(m: OutgoingMessage): Promise<ProviderResult>;
  close?(): Promise<void>;
}

/** A delivery-status callback, normalised (routes-hooks.ts parses each provider's shape into this). */
export interface DeliveryStatus {
  provider: string;
  /** Our send id when the provider echoes it, otherwise found by provider_message_id. */
  sendId?: string;
  providerMessageId?: string;
  status: 'delivered' | 'bounced' | 'complained' | 'failed' | 'opened' | 'clicked';
  /** bounced: hard (permanent) or soft */
  permanent?: boolean;
  at: Date;
  detail?: string;
  /** The callback as the provider sent it (kept in message_callbacks.payload). */
  raw?: unknown;
}
