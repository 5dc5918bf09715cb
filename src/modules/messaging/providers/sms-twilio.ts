/**
 * SMS through Twilio's Messages API (PLAZA_SMS_PROVIDER=twilio): POST
 * {base}/2010-04-01/Accounts/{sid}/Messages.json, form-encoded To, From (or MessagingServiceSid), Body
 * and StatusCallback, HTTP Basic auth sid:token. The answer's `sid` is the provider message id that
 * the status callbacks (POST /hooks/messaging/twilio) carry back.
 */
import type { MessageProvider } from '../types.ts';
import { excerpt, failure, httpCall, isPermanentStatus, trimBase } from './http.ts';

const NAME = 'twilio';

/**
 * Twilio error codes that say the number cannot receive this message (invalid, not a mobile
 * number, opted out with STOP, unreachable for good): the address is suppressed.
 */
export const TWILIO_BAD_NUMBER = new Set([21211, 21214, 21217, 21401, 21407, 21408, 21610, 21612, 21614]);

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** The sender number (E.164) or alphanumeric id; or a Messaging Service sid. */
  from?: string;
  messagingServiceSid?: string;
  /** https://api.twilio.com unless PLAZA_TWILIO_BASE_URL says otherwise (tests). */
  baseUrl: string;
  /** Where Twilio posts status changes: {public URL}/hooks/messaging/twilio. */
  statusCallback: string;
  timeoutMs: number;
}

export const twilioProvider = (o: TwilioOptions): MessageProvider => {
  const url = `${trimBase(o.baseUrl)}/2010-04-01/Accounts/${encodeURIComponent(o.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${o.accountSid}:${o.authToken}`).toString('base64')}`;
  return {
    name: NAME,
    medium: 'sms',
    async send(m) {
      const form = new URLSearchParams({ To: m.to, Body: m.text, StatusCallback: o.statusCallback });
      if (o.messagingServiceSid) form.set('MessagingServiceSid', o.messagingServiceSid);
      else if (o.from) form.set('From', o.from);
      const r = await httpCall(
        url,
        {
          headers: {
            authorization: auth,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
            // Twilio ignores it; proxies and test doubles can dedupe a resend on it
            'idempotency-key': m.sendId,
          },
          body: form.toString(),
        },
        o.timeoutMs,
      );
      if (!r.ok) return failure(NAME, r.error, false);
      const { status, text, json } = r.answer;
      const o2 = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
      if (status >= 200 && status < 300) {
        const sid = o2.sid;
        if (typeof sid === 'string' && sid.length > 0 && sid.length <= 64)
          return { ok: true, provider: NAME, providerMessageId: sid };
        // Accepted or not? Unknown: retrying could send twice, but Twilio did not say it took the message.
        return failure(NAME, `HTTP ${status} without a message sid: ${excerpt(text)}`, false);
      }
      const code = typeof o2.code === 'number' ? o2.code : undefined;
      const message = typeof o2.message === 'string' ? o2.message : excerpt(text);
      const bad = code !== undefined && TWILIO_BAD_NUMBER.has(code);
      return failure(
        NAME,
        `HTTP ${status}${code !== undefined ? ` (Twilio ${code})` : ''}: ${message}`,
        bad || isPermanentStatus(status),
        bad,
      );
    },
  };
};
