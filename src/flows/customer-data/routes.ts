/** /admin/customers/:id/events and /admin/customers/:id/traits: the customer 360's events and traits. */
import { Type } from '@sinclair/typebox';
import { getCustomer } from '../../modules/customers/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import {
  decodeCursor,
  encodeCursor,
  Id,
  IdParams,
  Nullable,
  Obj,
  Page,
  PageQuery,
  Str,
  Timestamp,
} from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { computedTraitsOf, traitsOf } from './traits.ts';

const tags = ['customers: single view'];
const security = [{ adminToken: [] }];
const Json = Type.Record(Type.String(), Type.Unknown());

export const CustomerEvent = Type.Object(
  {
    id: Type.String({ description: 'The stored event (a number, as a string)' }),
    message_id: Type.String(),
    type: Type.String({ description: 'identify, track, page, screen, group or alias' }),
    event: Nullable(Type.String({ description: "The track event's name (or the page's / screen's)" })),
    origin: Type.Union([Type.Literal('client'), Type.Literal('plaza')], {
      description: "client: sent by a Segment library; plaza: one of Plaza's own facts (orders, pickups …)",
    }),
    source_id: Type.String(),
    channel_id: Nullable(Type.String()),
    location_id: Nullable(Type.String()),
    user_id: Nullable(Type.String()),
    anonymous_id: Nullable(Type.String()),
    properties: Json,
    traits: Json,
    context: Json,
    timestamp: Timestamp,
    received_at: Timestamp,
    flags: Type.Array(Type.String()),
  },
  { $id: 'CustomerEvent' },
);

export const CustomerEventsQuery = Obj({
  ...PageQuery,
  name: Type.Optional(Str({ min: 1, max: 200, description: 'Event name, e.g. Order Completed' })),
  type: Type.Optional(
    Type.Union(['identify', 'track', 'page', 'screen', 'group', 'alias'].map((t) => Type.Literal(t))),
  ),
  origin: Type.Optional(Type.Union([Type.Literal('client'), Type.Literal('plaza')])),
  channel_id: Type.Optional(Id('chn')),
});

export const CustomerTraits = Type.Object(
  {
    customer_id: Type.String(),
    traits: Type.Array(
      Type.Object({
        key: Type.String(),
        value: Type.Unknown(),
        observed_at: Timestamp,
        source_id: Nullable(Type.String()),
        updated_at: Timestamp,
      }),
      { description: 'From identify calls; each with the time of the message that set it' },
    ),
    computed: Type.Array(
      Type.Object({
        trait_id: Type.String(),
        key: Type.String(),
        name: Type.String(),
        value: Type.Unknown(),
        computed_at: Timestamp,
      }),
      { description: 'Computed traits (docs/segments.md) and their current value' },
    ),
  },
  { $id: 'CustomerTraits' },
);

interface EventRow {
  id: string;
  message_id: string;
  type: string;
  event: string | null;
  origin: 'client' | 'plaza';
  source_id: string;
  channel_id: string | null;
  location_id: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  timestamp: Date;
  received_at: Date;
  flags: string[];
}

export interface EventsFilter {
  limit: number;
  cursor?: string;
  name?: string;
  type?: string;
  origin?: string;
  channel_id?: string;
}

/** The customer's events, newest first, keyset-paged on (timestamp, id). */
export const customerEvents = async (q: Queryable, customerId: string, f: EventsFilter) => {
  const c = decodeCursor(f.cursor);
  // a cursor that is not ours (or was tampered with) starts from the newest
  const after =
    c &&
    typeof c[0] === 'string' &&
    !Number.isNaN(Date.parse(c[0])) &&
    typeof c[1] === 'string' &&
    /^\d{1,18}$/.test(c[1])
      ? c
      : undefined;
  const { rows } = await q.query<EventRow>(
    `SELECT id::text AS id, message_id, type, event, origin, source_id, channel_id, location_id, user_id,
       anonymous_id, properties, traits, context, "timestamp", received_at, flags
     FROM events WHERE customer_id = $1
       AND ($2::text IS NULL OR event = $2) AND ($3::text IS NULL OR type = $3)
       AND ($4::text IS NULL OR origin = $4) AND ($5::text IS NULL OR channel_id = $5)
       AND ($6::timestamptz IS NULL OR ("timestamp", id) < ($6::timestamptz, $7::bigint))
     ORDER BY "timestamp" DESC, id DESC LIMIT $8`,
    [
      customerId,
      f.name ?? null,
      f.type ?? null,
      f.origin ?? null,
      f.channel_id ?? null,
      after ? new Date(after[0] as string).toISOString() : null,
      after?.[1] ?? null,
      f.limit + 1,
    ],
  );
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => ({
      ...r,
      timestamp: r.timestamp.toISOString(),
      received_at: r.received_at.toISOString(),
    })),
    next_cursor: rows.length > f.limit && last ? encodeCursor([last.timestamp.toISOString(), last.id]) : null,
  };
};

const liveOrThrow = async (q: Queryable, id: string) => {
  const c = await getCustomer(q, id);
  if (!c || c.status === 'erased') throw notFound('Customer', id);
  return c;
};

export const customerDataRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/customers/:id/events',
    {
      config: { staff: true },
      schema: {
        operationId: 'listAdminCustomerEvents',
        tags,
        security,
        problems: ['NOT_FOUND'],
        summary:
          "The customer's tracked events (web, app, POS) and Plaza's own facts in one list, newest first (keyset-paged)",
        params: IdParams('cus'),
        querystring: CustomerEventsQuery,
        response: { 200: Page(CustomerEvent) },
      },
    },
    async (req) => {
      await liveOrThrow(deps.db, req.params.id);
      return customerEvents(deps.db, req.params.id, req.query);
    },
  );

  app.get(
    '/customers/:id/traits',
    {
      config: { staff: true },
      schema: {
        operationId: 'getAdminCustomerTraits',
        tags,
        security,
        problems: ['NOT_FOUND'],
        summary:
          "The customer's traits (with when each was observed and from which source) and computed traits",
        params: IdParams('cus'),
        response: { 200: CustomerTraits },
      },
    },
    async (req) => {
      await liveOrThrow(deps.db, req.params.id);
      const [traits, computed] = await Promise.all([
        traitsOf(deps.db, req.params.id),
        computedTraitsOf(deps.db, req.params.id),
      ]);
      return {
        customer_id: req.params.id,
        traits: traits.map((t) => ({
          ...t,
          observed_at: t.observed_at.toISOString(),
          updated_at: t.updated_at.toISOString(),
        })),
        computed: computed.map((c) => ({ ...c, computed_at: c.computed_at.toISOString() })),
      };
    },
  );
};
