/**
 * /admin/templates: check message content before it is saved, preview it for one customer (or the
 * sample customer), and the reference of variables and filters for editors (docs/campaigns.md,
 * "Templates and personalisation").
 */
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import type { Deps } from '../../platform/module.ts';
import { unsubscribeUrl } from './links.ts';
import { CheckBody, CheckResult, Preview, PreviewBody, Reference } from './routes-templates-schema.ts';
import {
  type Content,
  checkContent,
  type RecipientContext,
  recipientContexts,
  renderContent,
  templateInvalid,
} from './templates.ts';
import { traitKeysUsed } from './templates-check.ts';
import { sampleContext } from './templates-context.ts';
import { filterNames } from './templates-engine.ts';
import { MEDIUM_FIELDS, VARIABLES } from './templates-shape.ts';

const tags = ['campaigns'];
const security = [{ adminToken: [] }];

/** Offer codes are made per send; a preview shows this one in their place. */
const PREVIEW_OFFER = { code: 'SAMPLE-CODE', description: 'Sample offer' };

export const templateRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/templates/check',
    {
      schema: {
        operationId: 'checkTemplates',
        tags,
        security,
        summary:
          'Check content per medium: syntax (with line and column), unknown variables and filters, missing fields. ' +
          'Answers 200 with the problems (an empty list: valid)',
        body: CheckBody,
        response: { 200: CheckResult },
      },
    },
    async (req) => ({ problems: checkContent(req.body.content as Content) }),
  );

  app.post(
    '/templates/preview',
    {
      schema: {
        operationId: 'previewTemplate',
        tags,
        security,
        problems: ['TEMPLATE_INVALID'],
        summary:
          "One medium's content rendered for a customer, with the campaign's products at their store; " +
          'without customer_id, for the sample customer Ada Lovelace (docs/campaigns.md)',
        body: PreviewBody,
        response: { 200: Preview },
      },
    },
    async (req) => {
      const { medium, content, customer_id: customerId, product_ids: productIds = [] } = req.body;
      const problems = checkContent({ [medium]: content } as Content);
      if (problems.length) throw templateInvalid(problems);
      let ctx: RecipientContext;
      if (customerId) {
        const found = (await recipientContexts(deps.db, deps, [customerId], { productIds })).get(customerId);
        if (!found) throw notFound('Customer', customerId);
        const unsubscribe = await unsubscribeUrl(deps.db, deps, customerId, medium);
        ctx = { ...found, offer: PREVIEW_OFFER, links: { ...found.links, unsubscribe: unsubscribe ?? null } };
      } else {
        ctx = await sampleContext(deps.db, deps, traitKeysUsed({ [medium]: content } as Content), productIds);
      }
      return {
        medium,
        customer_id: customerId ?? null,
        sample: !customerId,
        message: await renderContent(medium, content, ctx),
      };
    },
  );

  app.get(
    '/templates/reference',
    {
      schema: {
        operationId: 'templateReference',
        tags,
        security,
        summary: 'The variables and filters templates may use, and the fields of each medium',
        response: { 200: Reference },
      },
    },
    async () => ({
      variables: [...VARIABLES],
      filters: filterNames(),
      fields: Object.fromEntries(Object.entries(MEDIUM_FIELDS).map(([m, f]) => [m, [...f]])),
    }),
  );
};
