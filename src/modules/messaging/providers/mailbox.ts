/** E-mail into the built-in mailbox (no PLAZA_SMTP_URL): stored, shown in the console, never sent. */
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import type { Logger } from '../../../platform/log.ts';
import { putMailboxMessage } from '../mailbox.ts';
import type { MessageProvider } from '../types.ts';
import { failure } from './http.ts';
import { mailHeaders } from './mail-headers.ts';

const NAME = 'mailbox';

/** The mailbox provider: a message is "delivered" once its row is committed. */
export const mailboxProvider = (o: { db: Db; clock: Clock; from: string; log: Logger }): MessageProvider => ({
  name: NAME,
  medium: 'email',
  async send(m) {
    try {
      const id = await putMailboxMessage(o.db, {
        sendId: m.sendId,
        customerId: m.customerId,
        to: m.to,
        from: o.from,
        subject: m.subject ?? '',
        html: m.html ?? null,
        text: m.text,
        headers: mailHeaders(m),
        at: o.clock.now(),
      });
      return { ok: true, provider: NAME, providerMessageId: id };
    } catch (err) {
      o.log.warn({ err }, 'messaging: the mailbox could not store a message');
      return failure(NAME, `the mailbox could not store the message: ${(err as Error).message}`, false);
    }
  },
});
