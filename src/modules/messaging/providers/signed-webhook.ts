/**
 * The generic signed-webhook provider of SMS and app push: Plaza POSTs each message as JSON to your
 * URL, signed like Plaza's webhooks (Standard Webhooks headers, docs/webhooks.md) with an
 * `Idempotency-Key: <send id>` header; any 2xx answer means accepted.
 */
import type { Clock } from '../../../platform/clock.ts';
import { standardWebhookHeaders } from '../../../platform/outbox/signing.ts';
import type { MessageProvider, OutgoingMessage, SentMedium } from '../types.ts';
import { excerpt, failure, httpCall, isPermanentStatus } from './http.ts';

export interface SignedWebhookOptions {
  name: 'sms-webhook' | 'push-webhook';
  medium: SentMedium;
  url: string;
  secret: string | undefined;
  timeoutMs: number;
  clock: Clock;
  /** The JSON document of one message. */
  body: (m: OutgoingMessage) => Record<string, unknown>;
}

/** The provider message id: `id` or `message_id` of a JSON answer, else our send id. */
const answerId = (json: unknown, sendId: string): string => {
  if (typeof json === 'object' && json !== null) {
    const o = json as Record<string, unknown>;
    for (const k of ['id', 'message_id']) {
      const v = o[k];
      if (typeof v === 'string' && v.length > 0 && v.length <= 200) return v;
    }
  }
  return sendId;
};

export const signedWebhookProvider = (o: SignedWebhookOptions): MessageProvider => ({
  name: o.name,
  medium: o.medium,
  async send(m) {
    const body = JSON.stringify(o.body(m));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': m.sendId,
      'user-agent': 'Plaza-Messaging',
      ...(o.secret
        ? standardWebhookHeaders([o.secret], m.sendId, Math.floor(o.clock.now().getTime() / 1000), body)
        : {}),
    };
    const r = await httpCall(o.url, { headers, body }, o.timeoutMs);
    if (!r.ok) return failure(o.name, r.error, false);
    const { status, text, json } = r.answer;
    if (status >= 200 && status < 300)
      return { ok: true, provider: o.name, providerMessageId: answerId(json, m.sendId) };
    const permanent = isPermanentStatus(status);
    // 404/410 about a recipient: the receiver says the address is gone (suppress it)
    return failure(
      o.name,
      `HTTP ${status}: ${excerpt(text)}`,
      permanent,
      permanent && [404, 410].includes(status),
    );
  },
});
