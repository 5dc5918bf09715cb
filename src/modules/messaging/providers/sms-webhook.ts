/** SMS through the generic signed webhook (PLAZA_SMS_PROVIDER=webhook): POST {id, to, text, tags}. */
import type { Clock } from '../../../platform/clock.ts';
import type { MessageProvider } from '../types.ts';
import { signedWebhookProvider } from './signed-webhook.ts';

export const smsWebhookProvider = (o: {
  url: string;
  secret: string | undefined;
  timeoutMs: number;
  clock: Clock;
}): MessageProvider =>
  signedWebhookProvider({
    ...o,
    name: 'sms-webhook',
    medium: 'sms',
    body: (m) => ({ id: m.sendId, to: m.to, text: m.text, tags: m.tags ?? {} }),
  });
