/**
 * /admin/mailbox: the built-in mailbox, where e-mail goes when no SMTP server is configured
 * (PLAZA_SMTP_URL unset), newest first; one message with its HTML, text and headers.
 */
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { decodeCursor, encodeCursor, Page } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { getMailboxMessage, listMailbox, type MailboxListRow } from './mailbox.ts';
import { MailboxMessage, MailboxParams, MailboxQuery, MailboxSummary } from './schema.ts';

const tags = ['messaging'];
const security = [{ adminToken: [] }];

const summary = (r: MailboxListRow) => ({
  id: r.id,
  to: r.to_address,
  subject: r.subject,
  send_id: r.send_id,
  customer_id: r.customer_id,
  created_at: r.created_at.toISOString(),
});

/** The (created_at, id) position a cursor points after; undefined when it is not one of ours. */
const afterOf = (cursor: string | undefined): { at: Date; id: string } | undefined => {
  const [at, id] = decodeCursor(cursor) ?? [];
  if (typeof at !== 'string' || typeof id !== 'string') return undefined;
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? undefined : { at: d, id };
};

export const mailboxRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/mailbox',
    {
      schema: {
        operationId: 'listMailbox',
        tags,
        security,
        summary: 'E-mail kept by the built-in mailbox (no SMTP server configured), newest first',
        querystring: MailboxQuery,
        response: { 200: Page(MailboxSummary) },
      },
    },
    async (req) => {
      const { limit, cursor, customer_id } = req.query;
      const after = afterOf(cursor);
      const rows = await listMailbox(deps.db, {
        limit: limit + 1,
        ...(after ? { after } : {}),
        ...(customer_id ? { customerId: customer_id } : {}),
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(summary),
        next_cursor:
          rows.length > limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
      };
    },
  );

  app.get(
    '/mailbox/:id',
    {
      schema: {
        operationId: 'getMailboxMessage',
        tags,
        security,
        summary: 'One message of the built-in mailbox with its HTML and text parts and its headers',
        params: MailboxParams,
        response: { 200: MailboxMessage },
      },
    },
    async (req) => {
      const r = await getMailboxMessage(deps.db, req.params.id);
      if (!r) throw notFound('Mailbox message', req.params.id);
      return {
        ...summary(r),
        from: r.from_address,
        html: r.html,
        text: r.text_body,
        headers: r.headers,
      };
    },
  );
};
