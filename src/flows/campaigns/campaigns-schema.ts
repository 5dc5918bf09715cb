/** The schemas of /admin/campaigns (routes-campaigns.ts). */
import { type Static, type TLiteral, type TUnion, Type } from '@sinclair/typebox';
import { MEDIA } from '../../modules/messaging/types.ts';
import { Id, List, Name, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';

const literals = <T extends string>(values: readonly T[], description?: string): TUnion<TLiteral<T>[]> =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );

export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'planning',
  'sending',
  'paused',
  'completed',
  'cancelled',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const MediumSchema = literals(MEDIA);

const Field = (max: number, description?: string) => Type.Optional(Str({ max, description }));
/** Template fields of one medium (Liquid; docs/campaigns.md "Templates"). */
export const MediumContent = Obj({
  subject: Field(500),
  preheader: Field(500, 'E-mail: the preview line after the subject'),
  html: Field(200_000),
  text: Field(50_000),
  title: Field(500),
  body: Field(10_000),
  url: Field(2000),
  image_url: Field(2000),
  slot: Field(100, 'Banner and in-app: the placement slot, e.g. home_hero'),
});
const mc = Type.Optional(MediumContent);
export const Content = Obj({
  email: mc,
  sms: mc,
  push: mc,
  web_push: mc,
  banner: mc,
  in_app: mc,
  print: mc,
  ads: mc,
  pos: mc,
});

export const Variant = Obj({
  key: Str({ min: 1, max: 20, pattern: '^[A-Za-z0-9_-]+$', description: 'A, B … (unique in the campaign)' }),
  split: Type.Integer({ minimum: 0, maximum: 100, description: 'Share of the audience in percent' }),
  content: Content,
});
export type Variant = Static<typeof Variant>;

export const Schedule = Obj(
  {
    mode: literals(['now', 'at', 'local_time'] as const),
    at: Type.Optional(Timestamp),
    local_time: Type.Optional(Str({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', max: 5 })),
    date: Type.Optional(Str({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', max: 10 })),
  },
  {
    description:
      'now: when scheduled; at: at that instant; local_time: at local_time on date in each recipient’s time zone',
  },
);
export type Schedule = Static<typeof Schedule>;

export const Winner = Obj({
  metric: literals(['open', 'click', 'conversion'] as const),
  test_percent: Type.Integer({ minimum: 1, maximum: 90, description: 'Share of the audience in the test' }),
  after_minutes: Type.Integer({ minimum: 1, maximum: 43_200, description: 'Winner picked this long after' }),
});
export type Winner = Static<typeof Winner>;

const perMinute = Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 }));
export const Throttle = Obj(
  {
    email: perMinute,
    sms: perMinute,
    push: perMinute,
    web_push: perMinute,
    banner: perMinute,
    in_app: perMinute,
    print: perMinute,
    ads: perMinute,
    pos: perMinute,
  },
  { description: 'Most sends per minute, per medium' },
);

export const Offer = Obj({
  discount_id: Str({ min: 1, max: 60 }),
  codes: literals(['per_recipient', 'shared'] as const),
});

export const Utm = Obj({
  source: Field(100),
  medium: Field(100),
  campaign: Field(200),
  content: Field(200),
  term: Field(200),
});

const writable = {
  name: Name(200),
  kind: Type.Optional(literals(['marketing', 'transactional'] as const)),
  segment_id: Type.Optional(Nullable(Id('seg'))),
  list_id: Type.Optional(Nullable(Id('aul'))),
  media: List(MediumSchema, { min: 1, max: MEDIA.length }),
  variants: List(Variant, { min: 1, max: 10 }),
  schedule: Type.Optional(Schedule),
  winner: Type.Optional(Nullable(Winner)),
  holdout_percent: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
  throttle: Type.Optional(Throttle),
  offer: Type.Optional(Nullable(Offer)),
  product_ids: Type.Optional(List(Str({ min: 1, max: 60 }), { max: 50 })),
  require_in_stock: Type.Optional(Type.Boolean()),
  utm: Type.Optional(Nullable(Utm)),
};

export const CreateCampaignBody = Obj(writable, { $id: 'CampaignCreate' });
export type CreateCampaignBody = Static<typeof CreateCampaignBody>;

export const UpdateCampaignBody = Obj(
  {
    ...writable,
    name: Type.Optional(writable.name),
    media: Type.Optional(writable.media),
    variants: Type.Optional(writable.variants),
  },
  { $id: 'CampaignUpdate', minProperties: 1 },
);
export type UpdateCampaignBody = Static<typeof UpdateCampaignBody>;

export const Campaign = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    status: literals(CAMPAIGN_STATUSES),
    status_reason: Nullable(Type.String({ description: 'Why it reached its status (e.g. segment_deleted)' })),
    kind: literals(['marketing', 'transactional'] as const),
    segment_id: Nullable(Type.String()),
    list_id: Nullable(Type.String()),
    media: Type.Array(MediumSchema),
    variants: Type.Array(Variant),
    schedule: Schedule,
    winner: Nullable(Winner),
    winner_variant: Nullable(Type.String()),
    holdout_percent: Type.Integer(),
    throttle: Throttle,
    offer: Nullable(Offer),
    product_ids: Type.Array(Type.String()),
    require_in_stock: Type.Boolean(),
    utm: Nullable(Utm),
    created_at: Timestamp,
    updated_at: Timestamp,
    scheduled_at: Nullable(Timestamp),
    planned_at: Nullable(Timestamp),
    started_at: Nullable(Timestamp),
    completed_at: Nullable(Timestamp),
    cancelled_at: Nullable(Timestamp),
  },
  { $id: 'Campaign' },
);
export type Campaign = Static<typeof Campaign>;

export const CampaignsQuery = Obj({
  ...PageQuery,
  status: Type.Optional(literals(CAMPAIGN_STATUSES)),
});

export const CampaignParams = Obj({ id: Id('cmp') });

export const AudienceCount = Type.Object(
  {
    count: Type.Integer({ description: 'Customers in the audience now (a live count)' }),
    source: literals(['segment', 'list', 'everyone'] as const),
  },
  { $id: 'CampaignAudienceCount' },
);

const StatRow = Type.Object({
  variant: Nullable(Type.String()),
  medium: Type.String(),
  metric: Type.String(),
  n: Type.Integer(),
});
export const CampaignStats = Type.Object(
  {
    campaign_id: Type.String(),
    status: literals(CAMPAIGN_STATUSES),
    totals: Type.Record(Type.String(), Type.Integer(), {
      description: 'Each metric over variants and media',
    }),
    skip_reasons: Type.Record(Type.String(), Type.Integer(), { description: 'Skipped recipients by reason' }),
    by_variant: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer()), {
      description: 'Each variant’s metrics over media ("" holds holdout and winner-pending rows)',
    }),
    rows: Type.Array(StatRow),
  },
  { $id: 'CampaignStats' },
);
