/**
 * E-mail over SMTP (PLAZA_SMTP_URL) with nodemailer: a pool of PLAZA_SMTP_POOL_SIZE connections,
 * optional DKIM signing, Message-ID `<sendId@plaza>` and the RFC 8058 one-click unsubscribe headers.
 */
import { readFileSync } from 'node:fs';
import { createTransport } from 'nodemailer';
import type { MessagingConfig } from '../../../platform/config.ts';
import type { Logger } from '../../../platform/log.ts';
import type { MessageProvider, OutgoingMessage, ProviderResult } from '../types.ts';
import { failure, withDeadline } from './http.ts';
import { mailHeaders, messageIdOf } from './mail-headers.ts';

const NAME = 'smtp';

/** Reply codes that say the recipient address itself is bad (RFC 5321): the address hard-bounced. */
const RECIPIENT_REJECTED = new Set([550, 551, 553]);

/** A DKIM private key given as PEM text, or the path of a file holding it. */
export const dkimKeyText = (value: string): string =>
  value.includes('-----BEGIN') ? value.replace(/\\n/g, '\n') : readFileSync(value, 'utf8');

interface SmtpError {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * An SMTP failure as a result: a 5xx reply is permanent, and 550/551/553 to RCPT TO a bounce of the
 * address; 4xx, 503, a refused login (our credentials, not the recipient) and no reply at all retry.
 */
export const smtpFailure = (err: SmtpError): ProviderResult => {
  const rc = err.responseCode;
  const text = err.response ?? err.message ?? 'SMTP error';
  if (rc !== undefined && rc >= 500 && rc < 600 && rc !== 503 && err.code !== 'EAUTH') {
    const toRecipient = !err.command || /^RCPT/i.test(err.command);
    return failure(NAME, `${rc} ${text}`, true, toRecipient && RECIPIENT_REJECTED.has(rc));
  }
  return failure(NAME, rc !== undefined ? `${rc} ${text}` : `${err.code ?? 'ERROR'} ${text}`, false);
};

export interface SmtpOptions {
  url: string;
  poolSize: number;
  from: string;
  dkim: MessagingConfig['dkim'];
  timeoutMs: number;
  log: Logger;
}

/** The SMTP provider; one pooled transport per process, closed by `close()`. */
export const smtpProvider = (o: SmtpOptions): MessageProvider => {
  let dkimError: string | undefined;
  let privateKey: string | undefined;
  if (o.dkim) {
    try {
      privateKey = dkimKeyText(o.dkim.privateKey);
    } catch (err) {
      // Never send unsigned mail when signing was asked for: every send fails (and is retried) until fixed.
      dkimError = `the DKIM private key cannot be read: ${(err as Error).message}`;
      o.log.error({ err }, 'messaging: PLAZA_DKIM_PRIVATE_KEY is neither PEM text nor a readable file');
    }
  }
  const transport = createTransport({
    url: o.url,
    pool: true,
    maxConnections: o.poolSize,
    maxMessages: 1000,
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
    ...(o.dkim && privateKey
      ? { dkim: { domainName: o.dkim.domain, keySelector: o.dkim.selector, privateKey } }
      : {}),
  });
  transport.on('error', (err: Error) => o.log.warn({ err }, 'messaging: SMTP pool error'));

  const send = async (m: OutgoingMessage): Promise<ProviderResult> => {
    if (dkimError) return failure(NAME, dkimError, false);
    const { 'Message-ID': _messageId, ...headers } = mailHeaders(m);
    try {
      const info = await transport.sendMail({
        from: o.from,
        to: m.to,
        subject: m.subject ?? '',
        text: m.text,
        ...(m.html ? { html: m.html } : {}),
        messageId: messageIdOf(m.sendId),
        headers,
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      const rejected = (info.rejected ?? []).length;
      if (rejected > 0 && (info.accepted ?? []).length === 0)
        return failure(NAME, `recipient refused: ${info.response ?? ''}`, true, true);
      return { ok: true, provider: NAME, providerMessageId: info.messageId || messageIdOf(m.sendId) };
    } catch (err) {
      return smtpFailure(err as SmtpError);
    }
  };

  return {
    name: NAME,
    medium: 'email',
    send: (m) =>
      withDeadline(send(m), o.timeoutMs + 1000, () =>
        failure(NAME, `no answer from the SMTP server within ${o.timeoutMs} ms`, false),
      ),
    close: async () => transport.close(),
  };
};
