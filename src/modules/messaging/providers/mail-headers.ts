/** The headers every e-mail carries, whether it goes over SMTP or into the built-in mailbox. */
import type { OutgoingMessage } from '../types.ts';

/** `<msg_…@plaza>`: the same for every attempt of one send, so a resend after a crash is recognisable. */
export const messageIdOf = (sendId: string): string => `<${sendId}@plaza>`;

/** The send id in a Message-ID of ours (`<msg_…@plaza>`, with or without the brackets), else undefined. */
export const sendIdOfMessageId = (messageId: string): string | undefined =>
  /^<?(msg_[0-9A-HJKMNP-TV-Z]{26})@plaza>?$/.exec(messageId.trim())?.[1];

/** `campaign_id` → `X-Plaza-Campaign-Id`; characters a header name cannot hold are dropped. */
const tagHeader = (key: string): string =>
  `X-Plaza-${key
    .replace(/[^A-Za-z0-9_-]/g, '')
    .split(/[_-]/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('-')}`;

/**
 * Headers added to the message besides From/To/Subject: our Message-ID, the RFC 8058 one-click
 * unsubscribe pair when the message has an unsubscribe URL, the send id, and the tags.
 */
export const mailHeaders = (m: OutgoingMessage): Record<string, string> => {
  const h: Record<string, string> = { 'Message-ID': messageIdOf(m.sendId), 'X-Plaza-Send-Id': m.sendId };
  if (m.unsubscribeUrl) {
    h['List-Unsubscribe'] = `<${m.unsubscribeUrl}>`;
    h['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  for (const [k, v] of Object.entries(m.tags ?? {})) {
    const name = tagHeader(k);
    if (name !== 'X-Plaza-' && !(name in h)) h[name] = v.replace(/[\r\n]+/g, ' ').slice(0, 200);
  }
  return h;
};
