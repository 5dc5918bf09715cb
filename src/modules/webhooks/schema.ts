import { type Static, Type } from '@sinclair/typebox';
import { Id, List, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';

export const EventPattern = Str({
  min: 1,
  max: 100,
  pattern: '^(\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?)$',
  description: 'An event type (`order.created`), a prefix (`order.*`) or `*`',
});

export const WebhookUrl = Str({ min: 8, max: 2000, pattern: '^https?://', description: 'http(s) URL' });

export const Endpoint = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    description: Nullable(Type.String()),
    event_types: Type.Array(Type.String(), { description: 'Empty means every event' }),
    enabled: Type.Boolean(),
    max_attempts: Type.Integer(),
    secret_hint: Type.String(),
    previous_secret_expires_at: Type.Union([Type.Null(), Timestamp], {
      description: 'After a rotation: until when deliveries are also signed with the previous secret',
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'WebhookEndpoint' },
);
export type Endpoint = Static<typeof Endpoint>;

export const CreatedEndpoint = Type.Object({
  secret: Type.String({
    description:
      'Standard Webhooks signing secret (`whsec_` + base64), for the webhook-signature header; shown once',
  }),
  endpoint: Endpoint,
});

export const CreateEndpointBody = Obj({
  url: WebhookUrl,
  description: Type.Optional(Str({ max: 500 })),
  event_types: Type.Optional(List(EventPattern, { max: 100 })),
  enabled: Type.Optional(Type.Boolean()),
  max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
});
export type CreateEndpointBody = Static<typeof CreateEndpointBody>;

export const UpdateEndpointBody = Obj(
  {
    url: Type.Optional(WebhookUrl),
    description: Type.Optional(Nullable(Str({ max: 500 }))),
    event_types: Type.Optional(List(EventPattern, { max: 100 })),
    enabled: Type.Optional(Type.Boolean()),
    max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  },
  { minProperties: 1 },
);
export type UpdateEndpointBody = Static<typeof UpdateEndpointBody>;

export const RotateSecretBody = Obj({
  grace_seconds: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 7 * 24 * 3600,
      description:
        'How long deliveries are also signed with the old secret (default 86400 = 24 h; 0 = stop at once)',
    }),
  ),
});

export const DeliveryStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('delivered'),
  Type.Literal('dead'),
]);

export const Delivery = Type.Object(
  {
    id: Type.String(),
    endpoint_id: Type.String(),
    event_id: Type.String(),
    event_type: Type.String(),
    status: DeliveryStatus,
    attempts: Type.Integer(),
    next_attempt_at: Timestamp,
    last_attempt_at: Nullable(Timestamp),
    last_status: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    delivered_at: Nullable(Timestamp),
    created_at: Timestamp,
  },
  { $id: 'WebhookDelivery' },
);

export const DeliveriesQuery = Obj({ ...PageQuery, status: Type.Optional(DeliveryStatus) });
export const DeliveryParams = Obj({ id: Id('whe'), deliveryId: Id('whd') });

export const EventStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('dispatched'),
  Type.Literal('failed'),
]);
export const EventView = Type.Object(
  {
    id: Type.String(),
    seq: Type.Integer(),
    type: Type.String(),
    aggregate_type: Nullable(Type.String()),
    aggregate_id: Nullable(Type.String()),
    data: Type.Record(Type.String(), Type.Unknown()),
    occurred_at: Timestamp,
    status: EventStatus,
    attempts: Type.Integer(),
    last_error: Nullable(Type.String()),
  },
  { $id: 'Event' },
);
export const EventsQuery = Obj({
  ...PageQuery,
  type: Type.Optional(EventPattern),
  status: Type.Optional(EventStatus),
  aggregate_id: Type.Optional(Str({ max: 64 })),
});
