/**
 * /admin/campaigns: campaigns (audience, media, variants with content, schedule, A/B winner, holdout,
 * throttle, offer) and their lifecycle actions, results from the rollups, the audience's live count
 * and a preview per recipient. Planning and sending run in the worker (jobs-campaigns.ts, the sender).
 */
import { type Static, Type } from '@sinclair/typebox';
import { MEDIA, type Medium } from '../../modules/messaging/types.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { cursorId, Id, Obj, Page, Str, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { audienceCount } from './audiences.ts';
import * as repo from './campaigns-repo.ts';
import {
  AudienceCount,
  Campaign,
  CampaignParams,
  CampaignStats,
  CampaignsQuery,
  CreateCampaignBody,
  UpdateCampaignBody,
} from './campaigns-schema.ts';
import * as service from './campaigns-service.ts';
import { settleCancelled } from './jobs-campaigns.ts';
import { campaignStats } from './stats.ts';
import { type RenderedMessage, recipientContexts, renderContent } from './templates.ts';

const tags = ['campaigns'];
const security = [{ adminToken: [] }];

const PreviewBody = Obj(
  {
    customer_id: Id('cus'),
    variant: Type.Optional(Str({ min: 1, max: 20, description: 'Default: the first variant' })),
  },
  { $id: 'CampaignPreviewRequest' },
);
const Rendered = Type.Object({
  subject: Type.Optional(Type.String()),
  html: Type.Optional(Type.String()),
  text: Type.String(),
  title: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  image_url: Type.Optional(Type.String()),
});
const Preview = Type.Object(
  { variant: Type.String(), media: Type.Record(Type.String(), Rendered) },
  { $id: 'CampaignPreview' },
);

/** Totals, skip reasons and per-variant metrics from the rollup rows. */
const statsToApi = (
  c: repo.CampaignRow,
  rows: Awaited<ReturnType<typeof campaignStats>>,
): Static<typeof CampaignStats> => {
  const totals: Record<string, number> = {};
  const skip: Record<string, number> = {};
  const byVariant: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    totals[r.metric] = (totals[r.metric] ?? 0) + r.n;
    if (r.metric.startsWith('skipped:')) {
      const reason = r.metric.slice('skipped:'.length);
      skip[reason] = (skip[reason] ?? 0) + r.n;
    }
    const v = byVariant[r.variant] ?? {};
    v[r.metric] = (v[r.metric] ?? 0) + r.n;
    byVariant[r.variant] = v;
  }
  return {
    campaign_id: c.id,
    status: c.status,
    totals,
    skip_reasons: skip,
    by_variant: byVariant,
    rows: rows.map((r) => ({ variant: r.variant || null, medium: r.medium, metric: r.metric, n: r.n })),
  };
};

export const campaignRoutes = (app: HttpApp, deps: Deps): void => {
  const load = async (id: string) => {
    const c = await repo.getCampaign(deps.db, id);
    if (!c) throw notFound('Campaign', id);
    return c;
  };
  const toApi = async (c: repo.CampaignRow) =>
    repo.campaignToApi(c, await repo.statusReasonOf(deps.db, c.id));

  app.post(
    '/campaigns',
    {
      schema: {
        operationId: 'createCampaign',
        tags,
        security,
        problems: ['TEMPLATE_INVALID'],
        summary: 'Create a draft campaign (docs/campaigns.md); its content is checked at once',
        body: CreateCampaignBody,
        response: { 201: Campaign },
      },
    },
    async (req, reply) => {
      const actor = req.admin?.tokenId ?? null;
      const row = await deps.db.tx((tx) => service.createCampaign(tx, deps.clock, req.body, actor));
      return reply.code(201).send(repo.campaignToApi(row));
    },
  );

  app.get(
    '/campaigns',
    {
      schema: {
        operationId: 'listCampaigns',
        tags,
        security,
        summary: 'Campaigns, newest first, optionally of one status',
        querystring: CampaignsQuery,
        response: { 200: Page(Campaign) },
      },
    },
    async (req) => {
      const { limit, cursor, status } = req.query;
      const rows = await repo.listCampaigns(deps.db, { status, before: cursorId(cursor), limit: limit + 1 });
      return toPage(rows, limit, (r) => repo.campaignToApi(r));
    },
  );

  app.get(
    '/campaigns/:id',
    {
      schema: {
        operationId: 'getCampaign',
        tags,
        security,
        summary: 'One campaign',
        params: CampaignParams,
        response: { 200: Campaign },
      },
    },
    async (req) => toApi(await load(req.params.id)),
  );

  app.patch(
    '/campaigns/:id',
    {
      schema: {
        operationId: 'updateCampaign',
        tags,
        security,
        problems: ['TEMPLATE_INVALID', 'CONFLICT'],
        summary: 'Change a draft (after scheduling only its name and throttle may change)',
        params: CampaignParams,
        body: UpdateCampaignBody,
        response: { 200: Campaign },
      },
    },
    async (req) => {
      await load(req.params.id);
      return toApi(await deps.db.tx((tx) => service.updateCampaign(tx, deps.clock, req.params.id, req.body)));
    },
  );

  const action = (
    name: 'schedule' | 'pause' | 'resume' | 'cancel',
    summary: string,
    problems: ('AUDIENCE_UNAVAILABLE' | 'TEMPLATE_INVALID' | 'INVALID_STATE_TRANSITION')[],
  ) =>
    app.post(
      `/campaigns/:id/${name}`,
      {
        schema: {
          operationId: `${name}Campaign`,
          tags,
          security,
          problems,
          summary,
          params: CampaignParams,
          response: { 200: Campaign },
        },
      },
      async (req) => {
        const id = req.params.id;
        await load(id);
        const actor = req.admin?.tokenId ?? 'admin';
        const run = {
          schedule: service.scheduleCampaign,
          pause: service.pauseCampaign,
          resume: service.resumeCampaign,
          cancel: service.cancelCampaign,
        }[name];
        const row = await deps.db.tx((tx) => run(tx, deps.clock, id, actor));
        if (name === 'cancel') await settleCancelled(deps, id);
        return toApi(row);
      },
    );
  action(
    'schedule',
    'Schedule a draft: planned when due (now, at a time, or at a local time per recipient)',
    ['AUDIENCE_UNAVAILABLE', 'TEMPLATE_INVALID', 'INVALID_STATE_TRANSITION'],
  );
  action('pause', 'Pause a scheduled, planning or sending campaign: nothing more is sent', [
    'INVALID_STATE_TRANSITION',
  ]);
  action('resume', 'Resume a paused campaign where it stopped', ['INVALID_STATE_TRANSITION']);
  action('cancel', 'Cancel a campaign: its planned sends are cancelled, nothing more is sent', [
    'INVALID_STATE_TRANSITION',
  ]);

  app.get(
    '/campaigns/:id/stats',
    {
      schema: {
        operationId: 'getCampaignStats',
        tags,
        security,
        summary: 'Results from the rollups: per variant, medium and metric, and the skip reasons',
        params: CampaignParams,
        response: { 200: CampaignStats },
      },
    },
    async (req) => {
      const c = await load(req.params.id);
      return statsToApi(c, await campaignStats(deps.db, c.id));
    },
  );

  app.get(
    '/campaigns/:id/audience-count',
    {
      schema: {
        operationId: 'getCampaignAudienceCount',
        tags,
        security,
        summary: 'How many customers the campaign’s segment or list holds now (live)',
        params: CampaignParams,
        response: { 200: AudienceCount },
      },
    },
    async (req) => {
      const c = await load(req.params.id);
      const source = c.segment_id ? 'segment' : c.list_id ? 'list' : 'everyone';
      return { count: await audienceCount(deps.db, c), source } as const;
    },
  );

  app.post(
    '/campaigns/:id/preview',
    {
      schema: {
        operationId: 'previewCampaign',
        tags,
        security,
        problems: ['TEMPLATE_INVALID', 'UNPROCESSABLE'],
        summary: 'Every medium of a variant rendered for one customer (nothing is sent)',
        params: CampaignParams,
        body: PreviewBody,
        response: { 200: Preview },
      },
    },
    async (req) => {
      const c = await load(req.params.id);
      const variant = req.body.variant ? c.variants.find((v) => v.key === req.body.variant) : c.variants[0];
      if (!variant)
        throw new PlazaError('UNPROCESSABLE', `The campaign has no variant ${req.body.variant}`, {
          variants: c.variants.map((v) => v.key),
        });
      const ctx = (
        await recipientContexts(deps.db, deps, [req.body.customer_id], {
          productIds: c.product_ids,
          campaign: { id: c.id, name: c.name },
        })
      ).get(req.body.customer_id);
      if (!ctx) throw notFound('Customer', req.body.customer_id);
      const media: Record<string, RenderedMessage> = {};
      for (const m of c.media.filter((x): x is Medium => MEDIA.includes(x))) {
        const content = variant.content[m];
        if (content) media[m] = await renderContent(m, content, ctx);
      }
      return { variant: variant.key, media };
    },
  );
};
