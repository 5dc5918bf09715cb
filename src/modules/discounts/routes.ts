import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { cursorId, IdParams, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import * as repo from './repo.ts';
import { CreateDiscountBody, Discount, ListDiscountsQuery, UpdateDiscountBody } from './schema.ts';
import { createDiscount, updateDiscount } from './service.ts';

export const discountAdminRoutes = (app: HttpApp, deps: Deps): void => {
  const tags = ['discounts'];
  const security = [{ adminToken: [] }];
  app.post(
    '/discounts',
    {
      schema: {
        operationId: 'createAdminDiscount',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Create a discount code (percent or fixed, per channel, validity window, usage limit)',
        body: CreateDiscountBody,
        response: { 201: Discount },
      },
    },
    async (req, reply) =>
      reply.code(201).send(repo.discountToApi(await deps.db.tx((tx) => createDiscount(tx, deps, req.body)))),
  );

  app.get(
    '/discounts',
    {
      schema: {
        operationId: 'listAdminDiscounts',
        tags,
        security,
        summary: 'List discount codes',
        querystring: ListDiscountsQuery,
        response: { 200: Page(Discount) },
      },
    },
    async (req) => {
      const rows = await repo.listDiscounts(deps.db, {
        active: req.query.active,
        after: cursorId(req.query.cursor),
        limit: req.query.limit + 1,
      });
      return toPage(rows, req.query.limit, repo.discountToApi);
    },
  );

  app.get(
    '/discounts/:id',
    {
      schema: {
        operationId: 'getAdminDiscount',
        tags,
        security,
        summary: 'Get a discount code',
        params: IdParams('dsc'),
        response: { 200: Discount },
      },
    },
    async (req) => {
      const d = await repo.getDiscount(deps.db, req.params.id);
      if (!d) throw notFound('Discount', req.params.id);
      return repo.discountToApi(d);
    },
  );

  app.patch(
    '/discounts/:id',
    {
      schema: {
        operationId: 'updateAdminDiscount',
        tags,
        security,
        summary: 'Change a discount code (channels, window, limit, active)',
        params: IdParams('dsc'),
        body: UpdateDiscountBody,
        response: { 200: Discount },
      },
    },
    async (req) =>
      repo.discountToApi(await deps.db.tx((tx) => updateDiscount(tx, deps, req.params.id, req.body))),
  );
};
