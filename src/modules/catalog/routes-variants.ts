import type { HttpApp } from '../../platform/http/app.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { security, tags } from './routes-products.ts';
import {
  Product,
  ProductParams,
  SetPricesBody,
  VariantIdParams,
  VariantInput,
  VariantParams,
  VariantPatch,
  VariantPrices,
} from './schema.ts';
import { setVariantPrices } from './service-prices.ts';
import { addVariant, removeVariant, updateVariant } from './service-variants.ts';

export const variantRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/products/:id/variants',
    {
      schema: {
        operationId: 'createAdminProductVariant',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Add a variant (with optional prices); answers the product',
        params: ProductParams,
        body: VariantInput,
        response: { 201: Product },
      },
    },
    async (req, reply) => {
      const r = await deps.db.tx(async (tx) => unwrap(await addVariant(tx, deps, req.params.id, req.body)));
      return reply.code(201).send(r.product);
    },
  );

  app.patch(
    '/products/:id/variants/:variantId',
    {
      schema: {
        operationId: 'updateAdminProductVariant',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Change a variant (SKU, barcode, title, options, position, weight); answers the product',
        params: VariantParams,
        body: VariantPatch,
        response: { 200: Product },
      },
    },
    async (req) =>
      (
        await deps.db.tx(async (tx) =>
          unwrap(await updateVariant(tx, deps, req.params.id, req.params.variantId, req.body)),
        )
      ).product,
  );

  app.delete(
    '/products/:id/variants/:variantId',
    {
      schema: {
        operationId: 'deleteAdminProductVariant',
        tags,
        security,
        summary: 'Remove a variant and its prices; answers the product',
        params: VariantParams,
        response: { 200: Product },
      },
    },
    async (req) =>
      (
        await deps.db.tx(async (tx) =>
          unwrap(await removeVariant(tx, deps, req.params.id, req.params.variantId)),
        )
      ).product,
  );

  app.put(
    '/variants/:id/prices',
    {
      schema: {
        operationId: 'setAdminVariantPrices',
        tags,
        security,
        summary:
          "Replace the variant's price list on one channel: at most one base price (no starts_at) plus " +
          'scheduled prices whose windows do not overlap; an empty list removes its prices there',
        params: VariantIdParams,
        body: SetPricesBody,
        response: { 200: VariantPrices },
      },
    },
    async (req) =>
      deps.db.tx(async (tx) => unwrap(await setVariantPrices(tx, deps, req.params.id, req.body))),
  );
};
