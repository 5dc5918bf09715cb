/** The schemas of /admin/segments (routes-segments.ts). */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Name, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';
import { SegmentRules } from './rules.ts';

const RefreshMinutes = Type.Integer({
  minimum: 5,
  maximum: 10_080,
  description: 'Full re-evaluation every this many minutes (time windows move even when nothing happens)',
});
const Description = Nullable(Str({ max: 2000 }));

export const Segment = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    rules: SegmentRules,
    refresh_minutes: Type.Integer(),
    size: Type.Integer({ description: 'Members at the last evaluation' }),
    last_full_at: Nullable(Timestamp),
    created_at: Timestamp,
    updated_at: Timestamp,
    archived_at: Nullable(Timestamp),
  },
  { $id: 'Segment' },
);
export type Segment = Static<typeof Segment>;

export const CreateSegmentBody = Obj(
  {
    name: Name(200),
    description: Type.Optional(Description),
    rules: SegmentRules,
    refresh_minutes: Type.Optional(RefreshMinutes),
  },
  { $id: 'SegmentCreate' },
);

export const UpdateSegmentBody = Obj(
  {
    name: Type.Optional(Name(200)),
    description: Type.Optional(Description),
    rules: Type.Optional(SegmentRules),
    refresh_minutes: Type.Optional(RefreshMinutes),
  },
  { $id: 'SegmentUpdate', minProperties: 1 },
);
export type UpdateSegmentBody = Static<typeof UpdateSegmentBody>;

export const SegmentsQuery = Obj({
  ...PageQuery,
  archived: Type.Boolean({
    default: false,
    description: 'true: the archived segments instead of the live ones',
  }),
});

export const SegmentParams = Obj({ id: Id('seg') });

export const PreviewBody = Obj({ rules: SegmentRules }, { $id: 'SegmentPreviewRequest' });

const Person = {
  name: Nullable(Type.String({ description: 'First and last name' })),
  email: Nullable(Type.String()),
};

export const Preview = Type.Object(
  {
    count: Type.Integer({ description: 'Customers who match now' }),
    sample: Type.Array(Type.Object({ id: Type.String(), ...Person }), {
      description: 'Up to 20 of them, newest customers first',
    }),
  },
  { $id: 'SegmentPreview' },
);

export const Member = Type.Object(
  { customer_id: Type.String(), ...Person, entered_at: Timestamp },
  { $id: 'SegmentMember' },
);

export const MembersQuery = Obj({ ...PageQuery });
