/**
 * The built-in mailbox (mailbox_messages): with no SMTP server configured, e-mail lands here and
 * the console shows it, so a newcomer sees what Plaza sent.
 */
import type { Queryable } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';

export interface MailboxRow {
  id: string;
  send_id: string | null;
  customer_id: string | null;
  to_address: string;
  from_address: string;
  subject: string;
  html: string | null;
  text_body: string;
  headers: Record<string, string>;
  created_at: Date;
}

export interface NewMailboxMessage {
  sendId: string | null;
  customerId: string | null;
  to: string;
  from: string;
  subject: string;
  html: string | null;
  text: string;
  headers: Record<string, string>;
  at: Date;
}

/**
 * Stores a message once per send: a second delivery of the same send (a resend after a lost lease)
 * returns the first message's id. A customer id that is not a customer is kept as null.
 */
export const putMailboxMessage = async (q: Queryable, m: NewMailboxMessage): Promise<string> => {
  if (m.sendId && m.customerId) {
    const prior = await q.query<{ id: string }>(
      'SELECT id FROM mailbox_messages WHERE customer_id = $1 AND send_id = $2 LIMIT 1',
      [m.customerId, m.sendId],
    );
    if (prior.rows[0]) return prior.rows[0].id;
  }
  const id = newId('mbx');
  await q.query(
    `INSERT INTO mailbox_messages
       (id, send_id, customer_id, to_address, from_address, subject, html, text_body, headers, created_at)
     VALUES ($1, $2, (SELECT id FROM customers WHERE id = $3), $4, $5, $6, $7, $8, $9::jsonb, $10)`,
    [id, m.sendId, m.customerId, m.to, m.from, m.subject, m.html, m.text, JSON.stringify(m.headers), m.at],
  );
  return id;
};

export type MailboxListRow = Pick<
  MailboxRow,
  'id' | 'send_id' | 'customer_id' | 'to_address' | 'subject' | 'created_at'
>;

/** Newest first, keyset-paged on (created_at, id); `limit + 1` rows tell whether a next page exists. */
export const listMailbox = async (
  q: Queryable,
  o: { limit: number; after?: { at: Date; id: string }; customerId?: string },
): Promise<MailboxListRow[]> => {
  const params: unknown[] = [o.limit];
  const where: string[] = [];
  if (o.after) {
    params.push(o.after.at, o.after.id);
    where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
  }
  if (o.customerId) {
    params.push(o.customerId);
    where.push(`customer_id = $${params.length}`);
  }
  const r = await q.query<MailboxListRow>(
    `SELECT id, send_id, customer_id, to_address, subject, created_at FROM mailbox_messages
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY created_at DESC, id DESC LIMIT $1`,
    params,
  );
  return r.rows;
};

export const getMailboxMessage = async (q: Queryable, id: string): Promise<MailboxRow | undefined> =>
  (await q.query<MailboxRow>('SELECT * FROM mailbox_messages WHERE id = $1', [id])).rows[0];
