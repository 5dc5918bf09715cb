/**
 * The send ledger seen from the console: a campaign's "why not sent" trace (every recipient's send
 * with its status and reason, keyset paged), a customer's message history (the customer 360), and
 * the messaging settings (frequency cap, quiet hours, default timezone) the gate applies.
 */
import { type Static, Type } from '@sinclair/typebox';
import { SKIP_REASONS } from '../../modules/messaging/index.ts';
import { notFound, validation } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import {
  cursorId,
  decodeCursor,
  encodeCursor,
  Id,
  Nullable,
  Obj,
  Page,
  PageQuery,
  Str,
  Timestamp,
} from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { HHMM, isTimeZone, messagingSettings, saveMessagingSettings } from './sends-settings.ts';
import { type TraceRow, traceSends } from './trace.ts';

const tags = ['campaigns'];
const security = [{ adminToken: [] }];
const STATUSES = ['planned', 'sending', 'sent', 'failed', 'skipped', 'holdout', 'cancelled'] as const;
const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));

const SendTrace = Type.Object(
  {
    id: Type.String(),
    customer_id: Type.String(),
    medium: Type.String(),
    variant: Nullable(Type.String()),
    status: Type.String(),
    skip_reason: Nullable(Type.String({ description: 'Why nothing was sent (status skipped or failed)' })),
    delay_reason: Nullable(
      Type.String({ description: 'Why it waits past its first due time (quiet_hours, retry)' }),
    ),
    due_at: Timestamp,
    attempts: Type.Integer(),
    provider: Nullable(Type.String()),
    delivery: Nullable(Type.String()),
    last_error: Nullable(Type.String()),
    sent_at: Nullable(Timestamp),
    opened_at: Nullable(Timestamp),
    clicked_at: Nullable(Timestamp),
    converted_at: Nullable(Timestamp),
  },
  { $id: 'CampaignSend' },
);

const CustomerMessage = Type.Object(
  {
    id: Type.String(),
    medium: Type.String(),
    source_kind: Type.String(),
    campaign_id: Nullable(Type.String()),
    campaign_name: Nullable(Type.String()),
    journey_id: Nullable(Type.String()),
    journey_name: Nullable(Type.String()),
    step_key: Nullable(Type.String()),
    marketing: Type.Boolean(),
    variant: Nullable(Type.String()),
    status: Type.String(),
    skip_reason: Nullable(Type.String()),
    delay_reason: Nullable(Type.String()),
    delivery: Nullable(Type.String()),
    created_at: Timestamp,
    due_at: Timestamp,
    sent_at: Nullable(Timestamp),
    opened_at: Nullable(Timestamp),
    clicked_at: Nullable(Timestamp),
    converted_at: Nullable(Timestamp),
    unsubscribed_at: Nullable(Timestamp),
  },
  { $id: 'CustomerMessage' },
);

const Settings = Obj(
  {
    cap: Obj({
      per_day: Type.Integer({
        minimum: 0,
        maximum: 100,
        description: 'Marketing touches a day (rolling 24 h)',
      }),
      per_week: Type.Integer({ minimum: 0, maximum: 500, description: 'Marketing touches in 7 days' }),
    }),
    quiet_hours: Obj({
      start: Str({ pattern: HHMM.source, max: 5, description: 'HH:MM local time' }),
      end: Str({ pattern: HHMM.source, max: 5, description: 'HH:MM local time (may be the next day)' }),
    }),
    default_timezone: Str({ min: 1, max: 64, description: 'IANA timezone of customers with none known' }),
  },
  { $id: 'MessagingSettings' },
);

interface HistoryRow extends Omit<TraceRow, 'customer_id' | 'attempts' | 'provider' | 'last_error'> {
  source_kind: string;
  campaign_id: string | null;
  campaign_name: string | null;
  journey_id: string | null;
  journey_name: string | null;
  step_key: string | null;
  marketing: boolean;
  created_at: Date;
  unsubscribed_at: Date | null;
}
const iso = (v: Date | null) => v?.toISOString() ?? null;
const traceToApi = (r: TraceRow): Static<typeof SendTrace> => ({
  ...r,
  due_at: r.due_at.toISOString(),
  sent_at: iso(r.sent_at),
  opened_at: iso(r.opened_at),
  clicked_at: iso(r.clicked_at),
  converted_at: iso(r.converted_at),
});
const historyToApi = (r: HistoryRow): Static<typeof CustomerMessage> => ({
  ...r,
  created_at: r.created_at.toISOString(),
  due_at: r.due_at.toISOString(),
  sent_at: iso(r.sent_at),
  opened_at: iso(r.opened_at),
  clicked_at: iso(r.clicked_at),
  converted_at: iso(r.converted_at),
  unsubscribed_at: iso(r.unsubscribed_at),
});

export const sendRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/campaigns/:id/sends',
    {
      schema: {
        operationId: 'listCampaignSends',
        tags,
        security,
        summary: 'The "why not sent" trace: every send of a campaign with its status and reason, by id',
        params: Obj({ id: Id('cmp') }),
        querystring: Obj({
          ...PageQuery,
          status: Type.Optional(lit(STATUSES)),
          reason: Type.Optional(lit(SKIP_REASONS)),
          after: Type.Optional(Id('msg')),
        }),
        response: { 200: Page(SendTrace) },
      },
    },
    async (req) => {
      const { id } = req.params;
      const { limit, cursor, status, reason, after } = req.query;
      const found = await deps.db.query('SELECT 1 FROM campaigns WHERE id = $1', [id]);
      if (!found.rows.length) throw notFound('Campaign', id);
      const rows = await traceSends(deps.db, id, {
        status: status ?? null,
        reason: reason ?? null,
        after: cursorId(cursor) ?? after ?? null,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(traceToApi),
        next_cursor: rows.length > limit && last ? encodeCursor([last.id]) : null,
      };
    },
  );

  app.get(
    '/customers/:id/messages',
    {
      schema: {
        operationId: 'listCustomerMessages',
        tags,
        security,
        summary: "A customer's messages on every medium, newest first (campaigns, journeys, transactional)",
        params: Obj({ id: Id('cus') }),
        querystring: Obj({ ...PageQuery }),
        response: { 200: Page(CustomerMessage) },
      },
    },
    async (req) => {
      const { id } = req.params;
      const { limit, cursor } = req.query;
      const found = await deps.db.query('SELECT 1 FROM customers WHERE id = $1', [id]);
      if (!found.rows.length) throw notFound('Customer', id);
      const c = decodeCursor(cursor);
      const [at, after] =
        c && typeof c[0] === 'string' && typeof c[1] === 'string' ? [c[0], c[1]] : [null, null];
      const rows = (
        await deps.db.query<HistoryRow>(
          `SELECT s.id, s.medium, s.source_kind, s.campaign_id, cp.name AS campaign_name, s.journey_id,
             j.name AS journey_name, s.step_key, s.marketing, s.variant, s.status, s.skip_reason, s.delay_reason,
             s.delivery, s.created_at, s.due_at, s.sent_at, s.opened_at, s.clicked_at, s.converted_at,
             s.unsubscribed_at
           FROM message_sends s
           LEFT JOIN campaigns cp ON cp.id = s.campaign_id
           LEFT JOIN journeys j ON j.id = s.journey_id
           WHERE s.customer_id = $1 AND ($2::timestamptz IS NULL OR (s.created_at, s.id) < ($2, $3))
           ORDER BY s.created_at DESC, s.id DESC LIMIT $4`,
          [id, at, after, limit + 1],
        )
      ).rows;
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(historyToApi),
        next_cursor:
          rows.length > limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
      };
    },
  );

  app.get(
    '/messaging/settings',
    {
      schema: {
        operationId: 'getMessagingSettings',
        tags,
        security,
        summary:
          'The frequency cap, quiet hours and default timezone every marketing send is checked against',
        response: { 200: Settings },
      },
    },
    () => messagingSettings(deps.db),
  );

  app.put(
    '/messaging/settings',
    {
      schema: {
        operationId: 'updateMessagingSettings',
        tags,
        security,
        summary: 'Change the frequency cap, quiet hours and default timezone (applied at plan and send time)',
        body: Settings,
        response: { 200: Settings },
      },
    },
    async (req) => {
      const b = req.body;
      if (!isTimeZone(b.default_timezone))
        throw validation('default_timezone is not an IANA timezone', [
          { path: 'body.default_timezone', message: 'must be an IANA timezone such as Europe/Paris' },
        ]);
      if (b.cap.per_day > b.cap.per_week)
        throw validation('cap.per_day cannot exceed cap.per_week', [
          { path: 'body.cap.per_day', message: 'must not exceed per_week' },
        ]);
      await deps.db.tx((tx) => saveMessagingSettings(tx, b));
      return messagingSettings(deps.db);
    },
  );
};
