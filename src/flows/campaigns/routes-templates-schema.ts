/** The schemas of /admin/templates (routes-templates.ts); `TemplateContent` is a campaign variant's content. */
import { type TObject, type TOptional, type TString, Type } from '@sinclair/typebox';
import { MEDIA } from '../../modules/messaging/types.ts';
import { Id, List, Nullable, Obj, Str } from '../../platform/http/schemas.ts';
import { type Field, MEDIUM_FIELDS } from './templates-shape.ts';

const FIELD_MAX: Record<Field, number> = {
  subject: 1000,
  preheader: 1000,
  html: 200_000,
  text: 50_000,
  title: 1000,
  body: 20_000,
  url: 2000,
  image_url: 2000,
  slot: 64,
};

const fieldsOf = (medium: (typeof MEDIA)[number]): TObject<Record<string, TOptional<TString>>> =>
  Obj(
    Object.fromEntries(
      MEDIUM_FIELDS[medium].map((f) => [
        f,
        Type.Optional(
          Str({ max: FIELD_MAX[f], description: f === 'slot' ? 'Placement slot' : 'Liquid template' }),
        ),
      ]),
    ),
  );

/** Content per medium: each field a Liquid template (docs/campaigns.md, "Templates and personalisation"). */
export const TemplateContent = Obj(
  Object.fromEntries(MEDIA.map((m) => [m, Type.Optional(fieldsOf(m))])) as Record<
    (typeof MEDIA)[number],
    TOptional<TObject<Record<string, TOptional<TString>>>>
  >,
  { $id: 'TemplateContent', description: 'Template fields per medium' },
);

/** One medium's fields, whatever the medium (the preview names its medium apart). */
const AnyMediumContent = Obj(
  Object.fromEntries(
    (Object.keys(FIELD_MAX) as Field[]).map((f) => [f, Type.Optional(Str({ max: FIELD_MAX[f] }))]),
  ) as Record<Field, TOptional<TString>>,
  { description: "The medium's template fields (see TemplateContent for which fields each medium has)" },
);

const Medium = Type.Union(
  MEDIA.map((m) => Type.Literal(m)),
  { description: 'email, sms, push, web_push, banner, in_app, pos, print or ads' },
);

export const TemplateProblem = Type.Object(
  {
    medium: Type.String(),
    field: Type.String(),
    message: Type.String(),
    line: Type.Optional(Type.Integer({ description: '1-based line in the field' })),
    column: Type.Optional(Type.Integer({ description: '1-based column in the field' })),
  },
  { $id: 'TemplateProblem' },
);

export const CheckBody = Obj({ content: TemplateContent }, { $id: 'TemplateCheckRequest' });

export const CheckResult = Type.Object(
  {
    problems: Type.Array(TemplateProblem, {
      description:
        'Syntax errors, unknown variables and filters, missing fields; empty when the content is valid',
    }),
  },
  { $id: 'TemplateCheckResult' },
);

export const PreviewBody = Obj(
  {
    medium: Medium,
    content: AnyMediumContent,
    customer_id: Type.Optional(Id('cus')),
    product_ids: Type.Optional(List(Id('prd'), { max: 20 })),
  },
  { $id: 'TemplatePreviewRequest' },
);

export const Rendered = Type.Object(
  {
    subject: Type.Optional(Type.String()),
    html: Type.Optional(Type.String({ description: 'E-mail: the whole document, layout included' })),
    text: Type.String({ description: 'E-mail text part, SMS text, or the body of the other media' }),
    title: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
    image_url: Type.Optional(Type.String()),
  },
  { $id: 'RenderedMessage' },
);

export const Preview = Type.Object(
  {
    medium: Type.String(),
    customer_id: Nullable(Type.String({ description: 'null: the sample customer (docs/campaigns.md)' })),
    sample: Type.Boolean({ description: 'true when rendered for the sample customer' }),
    message: Rendered,
  },
  { $id: 'TemplatePreview' },
);

export const Reference = Type.Object(
  {
    variables: Type.Array(Type.Object({ name: Type.String(), description: Type.String() })),
    filters: Type.Array(Type.String()),
    fields: Type.Record(Type.String(), Type.Array(Type.String()), {
      description: 'The template fields of each medium',
    }),
  },
  { $id: 'TemplateReference' },
);
