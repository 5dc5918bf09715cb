import { type Static, Type } from '@sinclair/typebox';
import { Id, Name, Nullable, Obj, PageQuery, Timestamp } from '../../platform/http/schemas.ts';
import { CLIENT_SOURCE_KINDS, RETENTION_TIERS } from './sources.ts';
import type { SourceRow, WriteKeyRow } from './sources-repo.ts';

/** A source id: `src_` + ULID, or the built-in `src_plaza`. */
export const SourceId = Type.String({ pattern: '^src_([0-9A-HJKMNP-TV-Z]{26}|plaza)$', maxLength: 30 });

const ClientKind = Type.Union(
  CLIENT_SOURCE_KINDS.map((k) => Type.Literal(k)),
  { description: 'Where the events come from: a web shop, a mobile app, a POS, or a server integration' },
);
const Kind = Type.Union(
  [...CLIENT_SOURCE_KINDS, 'plaza' as const].map((k) => Type.Literal(k)),
  {
    description: "`plaza` is the built-in source of Plaza's own facts (orders, pickups, returns …)",
  },
);
const Retention = Type.Union(
  RETENTION_TIERS.map((m) => Type.Literal(m)),
  { description: 'Months events of this source are kept (0 = forever); old months are dropped whole' },
);

export const WRITE_KEY_STATUSES = ['active', 'expiring', 'expired', 'revoked'] as const;
export type WriteKeyStatus = (typeof WRITE_KEY_STATUSES)[number];

export const EventWriteKey = Type.Object(
  {
    id: Type.String(),
    source_id: Type.String(),
    key: Type.String({
      description:
        'The write key (`wk_…`): a public identifier, like Segment’s, used by analytics.js / analytics-node',
    }),
    status: Type.Union(
      WRITE_KEY_STATUSES.map((s) => Type.Literal(s)),
      { description: '`expiring`: rotated, accepted until `expires_at`' },
    ),
    created_at: Timestamp,
    expires_at: Nullable(Timestamp),
    revoked_at: Nullable(Timestamp),
  },
  // no $id: it appears twice in a rotation's answer (Fastify's serializer refuses one $id twice)
  { description: 'A write key of an event source' },
);
export type EventWriteKey = Static<typeof EventWriteKey>;

export const EventSource = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    kind: Kind,
    channel_id: Nullable(Type.String()),
    retention_months: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
    archived_at: Nullable(Timestamp),
    write_keys: Type.Array(EventWriteKey, { description: 'Newest first' }),
  },
  { $id: 'EventSource' },
);
export type EventSource = Static<typeof EventSource>;

export const CreateEventSourceBody = Obj({
  name: Name(100),
  kind: ClientKind,
  channel_id: Type.Optional(Nullable(Id('chn'))),
  retention_months: Type.Optional(Retention),
});
export type CreateEventSourceBody = Static<typeof CreateEventSourceBody>;

export const UpdateEventSourceBody = Obj(
  { name: Type.Optional(Name(100)), retention_months: Type.Optional(Retention) },
  { minProperties: 1 },
);
export type UpdateEventSourceBody = Static<typeof UpdateEventSourceBody>;

export const ListEventSourcesQuery = Obj({
  ...PageQuery,
  kind: Type.Optional(Kind),
  channel_id: Type.Optional(Id('chn')),
  include_archived: Type.Boolean({ default: false }),
});

export const SourceParams = Obj({ id: SourceId });
export const WriteKeyParams = Obj({ id: SourceId, keyId: Id('wkey') });

export const RotateWriteKeyBody = Obj({
  grace_hours: Type.Integer({
    minimum: 0,
    maximum: 720,
    default: 24,
    description: 'How long the old key keeps working (0: refused at once)',
  }),
});

export const RotatedWriteKey = Type.Object({ key: EventWriteKey, previous: EventWriteKey });

export const ChannelWriteKeyQuery = Obj({
  channel_id: Id('chn'),
  kind: Type.Union([Type.Literal('pos'), Type.Literal('web'), Type.Literal('app')], { default: 'pos' }),
});

export const ChannelWriteKey = Type.Object({
  key: Type.String({ description: 'The write key (`wk_…`) to load analytics.js with' }),
  key_id: Type.String(),
  source_id: Type.String(),
  source_name: Type.String(),
  channel_id: Type.String(),
});

export const keyStatus = (k: WriteKeyRow, now: Date): WriteKeyStatus => {
  if (k.revoked_at) return 'revoked';
  if (!k.expires_at) return 'active';
  return k.expires_at > now ? 'expiring' : 'expired';
};

export const keyToApi = (k: WriteKeyRow, now: Date): EventWriteKey => ({
  id: k.id,
  source_id: k.source_id,
  key: k.key,
  status: keyStatus(k, now),
  created_at: k.created_at.toISOString(),
  expires_at: k.expires_at?.toISOString() ?? null,
  revoked_at: k.revoked_at?.toISOString() ?? null,
});

export const sourceToApi = (s: SourceRow, keys: readonly WriteKeyRow[], now: Date): EventSource => ({
  id: s.id,
  name: s.name,
  kind: s.kind,
  channel_id: s.channel_id,
  retention_months: Number(s.retention_months),
  created_at: s.created_at.toISOString(),
  updated_at: s.updated_at.toISOString(),
  archived_at: s.archived_at?.toISOString() ?? null,
  write_keys: keys.map((k) => keyToApi(k, now)),
});
