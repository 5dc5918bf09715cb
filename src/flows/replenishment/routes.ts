/** /admin/replenishment: suggestions (accept, dismiss), suggested purchase orders, items at risk, policies. */

import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireAdmin } from '../../platform/http/auth.ts';
import { cursorId, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { addDays, todayIn } from '../forecasting/history.ts';
import {
  Accepted,
  AtRisk,
  AtRiskQuery,
  DecideBody,
  DismissBody,
  Dismissed,
  ListSuggestionsQuery,
  Policy,
  PolicyBody,
  PolicyParams,
  SuggestedOrder,
  Suggestion,
} from '../forecasting/schema.ts';
import { forecastSettings } from '../forecasting/settings.ts';
import { acceptSuggestions, dismissSuggestions } from './actions.ts';
import { atRisk, listSuggestions, putPolicy, suggestedOrders } from './reads.ts';

const tags = ['replenishment'];
const security = [{ adminToken: [] }];

export const replenishmentRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/replenishment/suggestions',
    {
      schema: {
        operationId: 'listAdminReplenishmentSuggestions',
        tags,
        security,
        summary: 'Suggested purchases and transfers from the last forecasting run (open by default)',
        querystring: ListSuggestionsQuery,
        response: { 200: Page(Suggestion) },
      },
    },
    async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const rows = await listSuggestions(deps.db, { ...filter, after: cursorId(cursor), limit: limit + 1 });
      return toPage(rows, limit, (r) => r);
    },
  );

  app.get(
    '/replenishment/purchase-orders',
    {
      schema: {
        operationId: 'listAdminSuggestedPurchaseOrders',
        tags,
        security,
        summary:
          'Open purchase suggestions grouped into one suggested order per supplier and receiving location',
        response: { 200: Type.Object({ data: Type.Array(SuggestedOrder) }) },
      },
    },
    async () => ({ data: await suggestedOrders(deps.db) }),
  );

  app.post(
    '/replenishment/suggestions/accept',
    {
      schema: {
        operationId: 'acceptAdminReplenishmentSuggestions',
        tags,
        security,
        summary:
          'Accept suggestions: one transfer per pair of locations, one draft purchase order per supplier and location',
        body: DecideBody,
        problems: ['NOT_FOUND', 'INVALID_STATE_TRANSITION'],
        response: { 201: Accepted },
      },
    },
    async (req, reply) => {
      const actor = requireAdmin(req).tokenId;
      const out = await deps.db.tx((tx) => acceptSuggestions(tx, deps, req.body.ids, actor));
      return reply.code(201).send(out);
    },
  );

  app.post(
    '/replenishment/suggestions/dismiss',
    {
      schema: {
        operationId: 'dismissAdminReplenishmentSuggestions',
        tags,
        security,
        summary: 'Dismiss suggestions: the same item is not suggested again for `days` days',
        body: DismissBody,
        problems: ['NOT_FOUND', 'INVALID_STATE_TRANSITION'],
        response: { 200: Dismissed },
      },
    },
    async (req) => {
      const settings = await forecastSettings(deps.db);
      const today = todayIn(deps.clock.now(), settings.timeZone);
      const until = addDays(today, req.body.days ?? settings.dismissDays);
      const actor = requireAdmin(req).tokenId;
      const dismissed = await deps.db.tx((tx) => dismissSuggestions(tx, deps, req.body.ids, until, actor));
      return { dismissed, until };
    },
  );

  app.get(
    '/replenishment/at-risk',
    {
      schema: {
        operationId: 'listAdminItemsAtRisk',
        tags,
        security,
        summary: 'Items whose projected stock runs out within `days` days, soonest first',
        querystring: AtRiskQuery,
        response: { 200: Page(AtRisk) },
      },
    },
    async (req) => {
      const days = req.query.days ?? (await forecastSettings(deps.db)).riskDays;
      return atRisk(deps.db, { ...req.query, days });
    },
  );

  app.put(
    '/replenishment/policies/:sku/:location_id',
    {
      schema: {
        operationId: 'putAdminReplenishmentPolicy',
        tags,
        security,
        summary:
          'Set how an item is replenished at a location: source location, lead time, review period, service level',
        params: PolicyParams,
        body: PolicyBody,
        problems: ['NOT_FOUND', 'VALIDATION_FAILED'],
        response: { 200: Policy },
      },
    },
    async (req) =>
      deps.db.tx((tx) => putPolicy(tx, req.params.sku, req.params.location_id, req.body, deps.clock.now())),
  );
};
