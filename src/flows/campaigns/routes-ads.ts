/**
 * Advertising audiences and UTM links (docs/campaigns.md, "Advertising audiences and UTM links"):
 * - `GET /admin/segments/:id/ad-audience?format=google|meta[&campaign_id=]`: the segment's members
 *   who consented to marketing on `ads`, as a CSV of SHA-256 hashes of normalised e-mail and phone;
 * - `POST /admin/campaigns/:id/links`: a link with the campaign's UTM parameters for an ad.
 */
import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { Id, IdParams, Obj, Str } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { AD_COLUMNS, AD_FORMATS, adAudienceCsv } from './ads.ts';
import { buildUtmUrl } from './utm.ts';

const tags = ['campaigns'];
const security = [{ adminToken: [] }];

const UtmValue = (description: string) => Str({ min: 1, max: 200, description });

export const LinkBody = Obj({
  url: Str({ min: 1, max: 2000, description: 'The landing page: an absolute http(s) URL' }),
  source: UtmValue('utm_source: where the ad runs, such as `google` or `facebook`'),
  medium: UtmValue('utm_medium: the kind of ad, such as `cpc`, `display` or `social`'),
  content: Type.Optional(UtmValue('utm_content: which ad or link (A/B of creatives)')),
  term: Type.Optional(UtmValue('utm_term: the paid keyword')),
});

export const adsRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/segments/:id/ad-audience',
    {
      schema: {
        operationId: 'exportSegmentAdAudience',
        tags,
        security,
        summary:
          'A segment as an ad platform customer list: SHA-256 of normalised e-mail and phone of members who consented to ads',
        description:
          'Google Customer Match (`format=google`: columns Email, Phone; Gmail dots removed; phone E.164) or Meta ' +
          'custom audiences (`format=meta`: columns email, phone; phone as digits with country code). Only members with ' +
          'a current `granted` consent for purpose marketing on channel `ads`, not erased and not restricted. With ' +
          '`campaign_id`, only members with a planned `ads` send of that campaign (holdout and capped stay out), and ' +
          'their sends become sent.',
        params: IdParams('seg'),
        querystring: Obj({
          format: Type.Union(
            AD_FORMATS.map((f) => Type.Literal(f)),
            { default: 'google' },
          ),
          campaign_id: Type.Optional(Id('cmp')),
        }),
        produces: ['text/csv'],
        response: {
          200: {
            description: `CSV (RFC 4180, UTF-8): ${AD_COLUMNS.google.join(', ')} (google) or ${AD_COLUMNS.meta.join(', ')} (meta), lowercase hex SHA-256`,
            content: { 'text/csv': { schema: { type: 'string', maxLength: 1_000_000_000 } } },
          },
        },
      },
    },
    async (req, reply) => {
      const seg = await deps.db.query('SELECT 1 FROM segments WHERE id = $1 AND archived_at IS NULL', [
        req.params.id,
      ]);
      if (seg.rows.length === 0) throw notFound('Segment', req.params.id);
      const campaignId = req.query.campaign_id;
      if (campaignId) {
        const c = await deps.db.query('SELECT 1 FROM campaigns WHERE id = $1', [campaignId]);
        if (c.rows.length === 0) throw notFound('Campaign', campaignId);
      }
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          `attachment; filename="ad-audience-${req.params.id}-${req.query.format}.csv"`,
        );
      return reply.send(
        Readable.from(
          adAudienceCsv(deps.db, deps, { segmentId: req.params.id, format: req.query.format, campaignId }),
        ),
      );
    },
  );

  app.post(
    '/campaigns/:id/links',
    {
      schema: {
        operationId: 'createCampaignLink',
        tags,
        security,
        problems: ['NOT_FOUND', 'VALIDATION_FAILED'],
        summary: "A link with the campaign's UTM parameters (utm_campaign = the campaign id) for an ad",
        description:
          'Clicks on the link land in the event stream through analytics.js, which copies the parameters into ' +
          '`context.campaign` (`utm_campaign` becomes `context.campaign.name`). Existing utm_* parameters are replaced.',
        params: IdParams('cmp'),
        body: LinkBody,
        response: { 200: Type.Object({ url: Type.String() }) },
      },
    },
    async (req) => {
      const r = await deps.db.query<{ id: string; utm: { campaign?: unknown } | null }>(
        'SELECT id, utm FROM campaigns WHERE id = $1',
        [req.params.id],
      );
      const c = r.rows[0];
      if (!c) throw notFound('Campaign', req.params.id);
      const named =
        typeof c.utm?.campaign === 'string' && c.utm.campaign.trim() ? c.utm.campaign.trim() : c.id;
      const b = req.body;
      return {
        url: buildUtmUrl(b.url, {
          source: b.source,
          medium: b.medium,
          campaign: named,
          content: b.content,
          term: b.term,
        }),
      };
    },
  );
};
