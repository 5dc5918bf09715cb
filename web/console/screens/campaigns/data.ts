/** Campaigns area: types from the generated client, query keys, the media's template fields, rollup helpers. */
import type { paths } from '@plaza/client';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;

export type CampaignList = Json<paths['/admin/campaigns']['get']['responses'][200]>;
export type Campaign = Json<paths['/admin/campaigns/{id}']['get']['responses'][200]>;
export type CampaignBody = NonNullable<
  paths['/admin/campaigns']['post']['requestBody']
>['content']['application/json'];
export type CampaignStatus = Campaign['status'];
export type Medium = CampaignBody['media'][number];
export type Variant = CampaignBody['variants'][number];
export type Content = Variant['content'];
export type Schedule = NonNullable<CampaignBody['schedule']>;
export type Winner = NonNullable<CampaignBody['winner']>;
export type Stats = Json<paths['/admin/campaigns/{id}/stats']['get']['responses'][200]>;
export type Sends = Json<paths['/admin/campaigns/{id}/sends']['get']['responses'][200]>;
export type SendsQuery = NonNullable<paths['/admin/campaigns/{id}/sends']['get']['parameters']['query']>;
export type SkipReason = NonNullable<SendsQuery['reason']>;
export type CheckBody = NonNullable<
  paths['/admin/templates/check']['post']['requestBody']
>['content']['application/json'];
export type Problems = Json<paths['/admin/templates/check']['post']['responses'][200]>['problems'];
export type PreviewBody = NonNullable<
  paths['/admin/templates/preview']['post']['requestBody']
>['content']['application/json'];
export type Preview = Json<paths['/admin/templates/preview']['post']['responses'][200]>;
export type Rendered = Preview['message'];

export const STATUSES: readonly CampaignStatus[] = [
  'draft',
  'scheduled',
  'planning',
  'sending',
  'paused',
  'completed',
  'cancelled',
];
export const isStatus = (v: string | null): v is CampaignStatus =>
  !!v && (STATUSES as readonly string[]).includes(v);

export const MEDIA: readonly Medium[] = [
  'email',
  'sms',
  'push',
  'web_push',
  'banner',
  'in_app',
  'print',
  'ads',
  'pos',
];

export type FieldName =
  | 'subject'
  | 'preheader'
  | 'html'
  | 'text'
  | 'title'
  | 'body'
  | 'url'
  | 'image_url'
  | 'slot';
/** The template fields of each medium (docs/campaigns.md, "Templates"); `long` ones get a text area. */
export const FIELDS: Record<Medium, readonly { name: FieldName; long?: boolean }[]> = {
  email: [
    { name: 'subject' },
    { name: 'preheader' },
    { name: 'html', long: true },
    { name: 'text', long: true },
  ],
  sms: [{ name: 'text', long: true }],
  push: [{ name: 'title' }, { name: 'body', long: true }, { name: 'url' }],
  web_push: [{ name: 'title' }, { name: 'body', long: true }, { name: 'url' }],
  banner: [
    { name: 'slot' },
    { name: 'title' },
    { name: 'body', long: true },
    { name: 'image_url' },
    { name: 'url' },
  ],
  in_app: [
    { name: 'slot' },
    { name: 'title' },
    { name: 'body', long: true },
    { name: 'image_url' },
    { name: 'url' },
  ],
  print: [{ name: 'title' }, { name: 'body', long: true }],
  ads: [],
  pos: [{ name: 'title' }, { name: 'body', long: true }],
};

/** Why a recipient was not sent something, as the ledger says it (each has its words in i18n). */
export const SKIP_REASONS: readonly SkipReason[] = [
  'no_consent',
  'capped',
  'holdout',
  'out_of_stock',
  'bounced_before',
  'no_address',
  'suppressed',
  'restricted',
  'erased',
  'segment_deleted',
  'template_error',
  'provider_failed',
  'no_provider',
  'cancelled',
];

/** The metrics of the results table, in funnel order. */
export const METRICS = [
  'planned',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'converted',
  'redeemed',
  'shown',
  'failed',
  'bounced',
  'unsubscribed',
  'holdout',
] as const;

export const campaignKeys = {
  all: ['campaigns'] as const,
  list: (status: string | undefined) => ['campaigns', 'list', status] as const,
  one: (id: string) => ['campaigns', id] as const,
  stats: (id: string) => ['campaigns', id, 'stats'] as const,
  count: (id: string) => ['campaigns', id, 'audience-count'] as const,
  sends: (id: string, p: Record<string, string | undefined>) => ['campaigns', id, 'sends', p] as const,
};

/** Statuses in which the campaign is still moving (the screens poll its rollups). */
export const LIVE: readonly CampaignStatus[] = ['scheduled', 'planning', 'sending'];

export type StatRow = Stats['rows'][number];

/** Sums of the rollups by a key (metric, or `variant medium metric`). */
export const sumBy = (rows: readonly StatRow[], key: (r: StatRow) => string): Map<string, number> => {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + r.n);
  return m;
};

export const statusTone = (s: string): 'neutral' | 'success' | 'danger' | 'warning' | 'info' =>
  s === 'completed'
    ? 'success'
    : s === 'cancelled'
      ? 'danger'
      : s === 'paused'
        ? 'warning'
        : s === 'draft'
          ? 'neutral'
          : 'info';

/** An empty content map for the chosen media. */
export const emptyContent = (media: readonly Medium[]): Content => {
  const c: Record<string, Record<string, string>> = {};
  for (const m of media) c[m] = Object.fromEntries(FIELDS[m].map((f) => [f.name, '']));
  return c as Content;
};

/** A variant's content as /admin/templates/check takes it: each medium with only its own fields. */
export const checkContent = (c: Content): CheckBody['content'] => {
  const tbu = (x: { title?: string; body?: string; url?: string } | undefined) =>
    x && { title: x.title, body: x.body, url: x.url };
  const slot = (x: Content['banner']) =>
    x && { slot: x.slot, title: x.title, body: x.body, image_url: x.image_url, url: x.url };
  const tb = (x: { title?: string; body?: string } | undefined) => x && { title: x.title, body: x.body };
  return {
    email: c.email && {
      subject: c.email.subject,
      preheader: c.email.preheader,
      html: c.email.html,
      text: c.email.text,
    },
    sms: c.sms && { text: c.sms.text },
    push: tbu(c.push),
    web_push: tbu(c.web_push),
    banner: slot(c.banner),
    in_app: slot(c.in_app),
    pos: tb(c.pos),
    print: tb(c.print),
    ads: c.ads && {},
  };
};
