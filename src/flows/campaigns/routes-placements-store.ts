/**
 * /store/placements/:slot: the banner or in-app content chosen for this visitor (placements.ts), and
 * a click on it for shops that do not follow the tracked link.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { anonymousIdOf, checkAnonymousId } from '../../modules/customers/index.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { Id, Nullable, Obj, Str } from '../../platform/http/schemas.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { choosePlacement, recordPlacementClick } from './placements.ts';

const tags = ['store: campaigns'];
const security: Record<string, string[]>[] = [{ channelKey: [] }, { channelKey: [], customerToken: [] }];

export const Slot = Str({
  min: 1,
  max: 64,
  pattern: '^[a-z0-9][a-z0-9_-]*$',
  description: 'A placement slot',
});
const SlotParams = Obj({ slot: Slot });
const AnonymousId = Str({
  min: 8,
  max: 128,
  description: 'The device id, when the x-plaza-anonymous-id header cannot be sent',
});

export const PlacementContent = Type.Object(
  {
    slot: Type.String(),
    campaign_id: Type.String(),
    variant: Nullable(Type.String()),
    medium: Type.String({ description: 'banner or in_app' }),
    title: Nullable(Type.String()),
    body: Type.String(),
    image_url: Nullable(Type.String()),
    url: Nullable(
      Type.String({
        description:
          "A logged-in customer's link is a signed click redirect (/t/c/…): following it records the click",
      }),
    ),
  },
  { $id: 'PlacementContent' },
);

/** The visitor's anonymous id: the header, else `?anonymous_id=` (checked the same way). */
const anonymousOf = (req: FastifyRequest, fromQuery: string | undefined): string | null => {
  const header = anonymousIdOf(req);
  if (header) return header;
  const r = checkAnonymousId(fromQuery);
  if (!r.ok) throw new PlazaError(r.code, r.detail, r.details);
  return r.value;
};

export const placementStoreRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/placements/:slot',
    {
      schema: {
        operationId: 'getStorePlacement',
        tags,
        security,
        problems: ['NOT_FOUND', 'INVALID_ANONYMOUS_ID'],
        summary: 'The banner or in-app content of a slot for this visitor (204: nothing to show)',
        description:
          'A logged-in customer sees the campaigns planned for them (their A/B arm; a holdout sees nothing); an ' +
          'anonymous visitor sees campaigns without an audience. The first impression of a customer counts as ' +
          "the campaign's touch (frequency cap). Answered with Cache-Control: private.",
        params: SlotParams,
        querystring: Obj({ anonymous_id: Type.Optional(AnonymousId) }),
        response: { 200: PlacementContent, 204: Type.Null({ description: 'Nothing to show in this slot' }) },
      },
    },
    async (req, reply) => {
      const content = await choosePlacement(deps, {
        slot: req.params.slot,
        customerId: req.customer?.customerId ?? null,
        anonymousId: anonymousOf(req, req.query.anonymous_id),
        channelId: req.channel?.channelId ?? null,
      });
      reply.header('cache-control', 'private, no-cache');
      if (!content) return reply.code(204).send(null);
      return content;
    },
  );

  app.post(
    '/placements/:slot/click',
    {
      schema: {
        operationId: 'clickStorePlacement',
        tags,
        security,
        problems: ['NOT_FOUND', 'INVALID_ANONYMOUS_ID'],
        summary: "Record a click on a placement's content (when the shop does not follow its tracked link)",
        params: SlotParams,
        body: Obj({ campaign_id: Id('cmp'), anonymous_id: Type.Optional(AnonymousId) }),
        response: { 204: Type.Null({ description: 'Recorded' }) },
      },
    },
    async (req, reply) => {
      const recorded = await recordPlacementClick(
        deps,
        {
          slot: req.params.slot,
          campaignId: req.body.campaign_id,
          customerId: req.customer?.customerId ?? null,
          anonymousId: anonymousOf(req, req.body.anonymous_id),
          channelId: req.channel?.channelId ?? null,
        },
        newId('clk'),
      );
      if (!recorded)
        throw new PlazaError(
          'NOT_FOUND',
          `Campaign ${req.body.campaign_id} showed nothing in ${req.params.slot} here`,
        );
      return reply.code(204).send(null);
    },
  );
};
