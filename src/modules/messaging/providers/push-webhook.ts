/**
 * App push through the generic signed webhook (PLAZA_PUSH_PROVIDER=webhook):
 * POST {id, to, title, text, url, tags}; `to` is the device's token as registered with POST /store/push/devices.
 */
import type { Clock } from '../../../platform/clock.ts';
import type { MessageProvider } from '../types.ts';
import { signedWebhookProvider } from './signed-webhook.ts';

export const pushWebhookProvider = (o: {
  url: string;
  secret: string | undefined;
  timeoutMs: number;
  clock: Clock;
}): MessageProvider =>
  signedWebhookProvider({
    ...o,
    name: 'push-webhook',
    medium: 'push',
    body: (m) => ({
      id: m.sendId,
      to: m.to,
      title: m.title ?? '',
      text: m.text,
      url: m.url ?? null,
      tags: m.tags ?? {},
    }),
  });
