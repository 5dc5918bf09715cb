/** The schemas of the messaging routes (mailbox, push devices). */
import { Type } from '@sinclair/typebox';
import { Id, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';

export const MailboxSummary = Type.Object(
  {
    id: Type.String(),
    to: Type.String(),
    subject: Type.String(),
    send_id: Nullable(Type.String({ description: 'The send of the ledger (`msg_…`), when a send made it' })),
    customer_id: Nullable(Type.String()),
    created_at: Timestamp,
  },
  { $id: 'MailboxMessageSummary' },
);

export const MailboxMessage = Type.Object(
  {
    id: Type.String(),
    to: Type.String(),
    from: Type.String(),
    subject: Type.String(),
    send_id: Nullable(Type.String()),
    customer_id: Nullable(Type.String()),
    html: Nullable(Type.String({ description: 'The HTML part, as it would have been sent' })),
    text: Type.String({ description: 'The plain-text part' }),
    headers: Type.Record(Type.String(), Type.String(), {
      description:
        'Message-ID, List-Unsubscribe, List-Unsubscribe-Post, X-Plaza-* as an SMTP server would get them',
    }),
    created_at: Timestamp,
  },
  { $id: 'MailboxMessage' },
);

export const MailboxQuery = Obj({
  ...PageQuery,
  customer_id: Type.Optional(Id('cus')),
});

export const MailboxParams = Obj({ id: Id('mbx') });

export const VapidKey = Type.Object(
  {
    public_key: Type.String({
      description: 'The VAPID public key (base64url): `applicationServerKey` of pushManager.subscribe()',
    }),
  },
  { $id: 'PushVapidKey' },
);

const AnonymousId = Str({ min: 1, max: 200, description: 'The device id of a visitor who is not logged in' });

export const SubscriptionBody = Obj(
  {
    endpoint: Str({
      min: 9,
      max: 2000,
      pattern: '^https://',
      description: "The subscription's push service URL",
    }),
    keys: Obj({ p256dh: Str({ min: 16, max: 200 }), auth: Str({ min: 8, max: 100 }) }),
    expirationTime: Type.Optional(Nullable(Type.Number())),
    anonymous_id: Type.Optional(AnonymousId),
  },
  { $id: 'PushSubscriptionCreate' },
);

export const DeviceBody = Obj(
  {
    token: Str({ min: 8, max: 4096, description: 'The FCM registration token of the app on this device' }),
    platform: Type.Union([Type.Literal('android'), Type.Literal('ios'), Type.Literal('web')]),
    anonymous_id: Type.Optional(AnonymousId),
  },
  { $id: 'PushDeviceCreate' },
);

export const Endpoint = Type.Object(
  {
    id: Type.String({ description: '`mep_…`: what a push message is addressed to' }),
    kind: Type.Union([Type.Literal('fcm'), Type.Literal('web_push')]),
    customer_id: Nullable(Type.String()),
    created_at: Timestamp,
    revoked_at: Nullable(Timestamp),
  },
  { $id: 'PushEndpoint' },
);

export const EndpointParams = Obj({ id: Id('mep') });

export const DeleteEndpointQuery = Obj({ anonymous_id: Type.Optional(AnonymousId) });
