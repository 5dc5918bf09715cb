/**
 * OpenAPI descriptions of the tracking API. They document; they do not validate (the routes check
 * messages one by one in message.ts, so that a bad message in a batch is refused alone).
 */
import { Type } from '@sinclair/typebox';

const Loose = (description: string) => Type.Object({}, { additionalProperties: true, description });
const IdField = (description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Number()], { description }));

const common = {
  userId: IdField('Your id of the user; userId or anonymousId is required'),
  anonymousId: IdField('A device or browser id; userId or anonymousId is required'),
  messageId: IdField(
    'Unique per message and source: a replay is acknowledged and stored once (generated when missing)',
  ),
  timestamp: Type.Optional(
    Type.String({
      description: 'ISO 8601: when it happened on the client (corrected for clock skew with sentAt)',
    }),
  ),
  sentAt: Type.Optional(Type.String({ description: 'ISO 8601: when the client sent it' })),
  context: Type.Optional(Loose('ip, userAgent, library, page, campaign, locale, timezone …')),
  integrations: Type.Optional(Loose('Ignored by Plaza')),
  writeKey: Type.Optional(
    Type.String({ description: 'The write key, when not sent as the HTTP Basic user name' }),
  ),
};

export const TrackingMessage = Type.Object(
  {
    type: Type.Optional(
      Type.String({ description: 'identify, track, page, screen, group or alias (required in a batch)' }),
    ),
    ...common,
    event: Type.Optional(Type.String({ maxLength: 255, description: 'track: the event name (required)' })),
    name: Type.Optional(Type.String({ maxLength: 255, description: 'page, screen: the name' })),
    properties: Type.Optional(Loose('track, page, screen: the properties')),
    traits: Type.Optional(Loose('identify, group: the traits')),
    groupId: IdField('group: the group (required)'),
    previousId: IdField('alias: the previous id (required)'),
  },
  {
    $id: 'TrackingMessage',
    additionalProperties: true,
    description: 'A Segment message (https://segment.com/docs/connections/spec/), at most 32 KB',
  },
);

export const TrackingBatch = Type.Object(
  {
    batch: Type.Array(TrackingMessage, { maxItems: 2500 }),
    writeKey: common.writeKey,
    sentAt: common.sentAt,
    context: Type.Optional(Loose("Merged under each message's own context")),
    integrations: common.integrations,
  },
  { $id: 'TrackingBatch', additionalProperties: true, description: 'At most 500 KB and 2,500 messages' },
);

export const TrackingRefusal = Type.Object(
  {
    index: Type.Integer({ description: 'Position of the message in the batch' }),
    messageId: Type.Union([Type.Null(), Type.String()]),
    code: Type.String({ description: 'INVALID_MESSAGE or MESSAGE_TOO_LARGE' }),
    reason: Type.String({ description: 'e.g. no_user_anon_id, missing_event, invalid_type' }),
    message: Type.String(),
  },
  { $id: 'TrackingRefusal' },
);

export const TrackingAccepted = Type.Object(
  {
    success: Type.Literal(true),
    accepted: Type.Optional(
      Type.Integer({ description: 'batch: messages stored (present when some were refused)' }),
    ),
    refused: Type.Optional(Type.Array(TrackingRefusal, { description: 'batch: messages refused' })),
  },
  { $id: 'TrackingAccepted', description: 'Stored (committed) before this answer' },
);

export const TrackingError = Type.Object(
  {
    success: Type.Literal(false),
    code: Type.String({
      description:
        'INVALID_JSON, MESSAGE_TOO_LARGE, BATCH_TOO_LARGE, INVALID_MESSAGE, INVALID_WRITE_KEY, RATE_LIMITED (429 with Retry-After), EVENTS_BACKPRESSURE, SERVICE_UNAVAILABLE, VALIDATION_FAILED (a malformed URL), INTERNAL (docs/errors.md)',
    }),
    message: Type.String(),
    reason: Type.Optional(Type.String()),
  },
  { $id: 'TrackingError', description: 'A Segment-style error answer' },
);

export const SourceSettings = Type.Object(
  {
    integrations: Type.Object({}, { additionalProperties: true }),
    plan: Type.Object({}, { additionalProperties: true }),
    remotePlugins: Type.Array(Type.Unknown()),
  },
  {
    $id: 'SourceSettings',
    additionalProperties: true,
    description:
      "The settings document analytics.js loads at start (its 'Segment.io' integration points at this server)",
  },
);

export const trackingErrors = {
  400: TrackingError,
  401: TrackingError,
  429: TrackingError,
  500: TrackingError,
  503: TrackingError,
};
