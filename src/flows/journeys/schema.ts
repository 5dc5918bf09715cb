/** The definition of a journey (trigger, steps, exit) and the schemas of /admin/journeys. */
import { type Static, Type } from '@sinclair/typebox';
import { MEDIA } from '../../modules/messaging/index.ts';
import { Id, List, Name, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';

const StepKey = Str({ min: 1, max: 40, pattern: '^[a-z0-9_-]+$', description: 'Unique within the journey' });
const EventName = Str({ min: 1, max: 200 });
const TraitKey = Str({ min: 1, max: 100 });

/** What makes a customer enter (docs/campaigns.md, "Journeys"). */
export const Trigger = Type.Union([
  Obj({
    type: Type.Literal('event'),
    event: EventName,
    once_per: Type.Optional(
      Type.Union([Type.Literal('event'), Type.Literal('customer')], {
        description: 'event (default): every event enters (one active run at a time); customer: once ever',
      }),
    ),
  }),
  Obj({ type: Type.Literal('segment_entered'), segment_id: Id('seg') }),
  Obj({
    type: Type.Literal('date_trait'),
    trait: TraitKey,
    offset_days: Type.Integer({ minimum: -365, maximum: 365 }),
  }),
  Obj({ type: Type.Literal('stock'), kind: Type.Literal('back_in_stock') }),
  Obj({
    type: Type.Literal('fact'),
    outbox_type: Str({ min: 3, max: 100, pattern: '^[a-z_]+\\.[a-z_.]+$' }),
  }),
  Obj({
    type: Type.Literal('cart_abandoned'),
    idle_minutes: Type.Integer({ minimum: 5, maximum: 10_080 }),
    max_age_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720 })),
  }),
]);
export type Trigger = Static<typeof Trigger>;

const Content = Type.Record(Str({ max: 20 }), Str({ max: 100_000 }), {
  description: "Template fields of the step's medium (subject, html, text, title, body, url …)",
});

const Condition = Type.Union([
  Obj({
    trait: Obj({
      key: TraitKey,
      equals: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Number(), Type.Boolean()])),
    }),
  }),
  Obj({
    event_count: Obj({
      event: EventName,
      min: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
      within_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    }),
  }),
  Obj({ segment: Obj({ segment_id: Id('seg') }) }),
]);
export type Condition = Static<typeof Condition>;

export const Step = Type.Union([
  Obj({
    key: StepKey,
    type: Type.Literal('wait'),
    duration_minutes: Type.Integer({ minimum: 1, maximum: 525_600 }),
  }),
  Obj({
    key: StepKey,
    type: Type.Literal('wait_until'),
    time: Type.Optional(Str({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: "Local 'HH:MM'" })),
    at: Type.Optional(
      Str({ min: 1, max: 100, description: 'A date in the context (deadline_at) or a trait' }),
    ),
    offset_minutes: Type.Optional(Type.Integer({ minimum: -525_600, maximum: 525_600 })),
  }),
  // biome-ignore lint/suspicious/noThenProperty: a branch step's target (data, never awaited)
  Obj({ key: StepKey, type: Type.Literal('branch'), condition: Condition, then: StepKey, else: StepKey }),
  Obj({
    key: StepKey,
    type: Type.Literal('send'),
    medium: Type.Union(MEDIA.map((m) => Type.Literal(m))),
    content: Content,
    transactional: Type.Optional(Type.Boolean()),
    require_stock: Type.Optional(
      Type.Union([Type.Literal('cart'), Type.Literal('watched_item')], {
        description: "Send only while the cart's items (or the watched item) are available; else exit",
      }),
    ),
  }),
  Obj({
    key: StepKey,
    type: Type.Literal('update_trait'),
    trait: TraitKey,
    value: Type.Union([Type.Null(), Type.String({ maxLength: 1000 }), Type.Number(), Type.Boolean()]),
  }),
  Obj({ key: StepKey, type: Type.Literal('exit'), reason: Type.Optional(Str({ max: 100 })) }),
]);
export type Step = Static<typeof Step>;
export type SendStep = Extract<Step, { type: 'send' }>;

export const ExitOn = Obj({
  event: EventName,
  same_order: Type.Optional(Type.Boolean({ description: "Only an event about the entry's order_id" })),
});
export type ExitOn = Static<typeof ExitOn>;

export const Definition = Obj({
  trigger: Trigger,
  steps: List(Step, { min: 1, max: 50 }),
  exit_on: Nullable(ExitOn),
});
export type Definition = Static<typeof Definition>;

export const TEMPLATES = [
  'abandoned_cart',
  'back_in_stock',
  'pickup_ready',
  'pickup_reminder',
  'after_pickup',
  'welcome',
  'win_back',
] as const;
export type TemplateName = (typeof TEMPLATES)[number];

const Kind = Type.Union([Type.Literal('marketing'), Type.Literal('transactional')]);
const Status = Type.Union(['draft', 'active', 'paused', 'archived'].map((s) => Type.Literal(s)));

export const CreateJourneyBody = Obj(
  {
    name: Type.Optional(Name(200)),
    kind: Type.Optional(Kind),
    template: Type.Optional(Type.Union(TEMPLATES.map((t) => Type.Literal(t)))),
    definition: Type.Optional(Definition),
    params: Type.Optional(
      Obj({
        segment_id: Type.Optional(Id('seg')),
        idle_minutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 10_080 })),
        hours_before: Type.Optional(Type.Integer({ minimum: 1, maximum: 720 })),
        days_after: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
      }),
    ),
  },
  { $id: 'JourneyCreate' },
);
export type CreateJourneyBody = Static<typeof CreateJourneyBody>;

export const UpdateJourneyBody = Obj(
  { name: Type.Optional(Name(200)), kind: Type.Optional(Kind), definition: Type.Optional(Definition) },
  { $id: 'JourneyUpdate', minProperties: 1 },
);

export const JourneyVersion = Type.Object({
  version: Type.Integer(),
  trigger: Trigger,
  steps: Type.Array(Step),
  exit_on: Nullable(ExitOn),
  published_at: Timestamp,
});

export const Journey = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    status: Status,
    kind: Kind,
    template: Nullable(Type.String()),
    current_version: Nullable(Type.Integer()),
    draft: Nullable(Definition),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Journey' },
);

export const JourneyDetail = Type.Object(
  {
    ...Journey.properties,
    versions: Type.Array(JourneyVersion),
    enrollments: Type.Record(Type.String(), Type.Integer(), {
      description: 'Entries by state (active, completed, exited, converted, failed)',
    }),
  },
  { $id: 'JourneyDetail' },
);

export const Enrollment = Type.Object(
  {
    id: Type.String(),
    version: Type.Integer(),
    customer_id: Type.String(),
    trigger_key: Type.String(),
    state: Type.String(),
    step_index: Type.Integer(),
    wake_at: Nullable(Timestamp),
    exit_reason: Nullable(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'JourneyEnrollment' },
);

export const JourneyParams = Obj({ id: Id('jrn') });
export const JourneysQuery = Obj({
  ...PageQuery,
  status: Type.Optional(Status),
});
export const EnrollmentsQuery = Obj({
  ...PageQuery,
  state: Type.Optional(
    Type.Union(['active', 'completed', 'exited', 'converted', 'failed'].map((s) => Type.Literal(s))),
  ),
});
