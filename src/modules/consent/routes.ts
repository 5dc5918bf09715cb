import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { HttpApp } from '../../platform/http/app.ts';
import {
  actorOf,
  assertLocationAccess,
  requireAdmin,
  requireChannel,
  requireCustomer,
} from '../../platform/http/auth.ts';
import { IdParams, Obj, Str } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { getCustomerOrThrow } from '../customers/index.ts';
import * as repo from './repo.ts';
import {
  AdminConsentBody,
  AdminConsents,
  ConsentRecord,
  ContactChannelSchema,
  PurposeSchema,
  StoreConsents,
  StoreConsentsBody,
  TokenParams,
} from './schema.ts';
import {
  assertKnown,
  confirmConsent,
  consentStates,
  type Proof,
  recordConsent,
  unsubscribe,
  unsubscribeToken,
} from './service.ts';

const proofOf = (req: FastifyRequest, formVersion?: string): Proof => ({
  ip: req.ip,
  userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
  formVersion: formVersion ?? null,
});

export const consentStoreRoutes = (app: HttpApp, deps: Deps): void => {
  const tags = ['store: consent'];
  const me = [{ channelKey: [], customerToken: [] }];
  const storeView = async (customerId: string) => {
    const c = await getCustomerOrThrow(deps.db, customerId);
    return {
      processing_restricted: c.processing_restricted_at !== null,
      consents: await consentStates(deps.db, c.id),
    };
  };

  app.get(
    '/customers/me/consents',
    {
      config: { customer: true },
      schema: {
        operationId: 'listCurrentCustomerConsents',
        tags,
        security: me,
        summary: 'My consent choices per purpose and channel',
        response: { 200: StoreConsents },
      },
    },
    async (req) => storeView(requireCustomer(req).customerId),
  );

  app.put(
    '/customers/me/consents',
    {
      config: { customer: true },
      schema: {
        operationId: 'setCurrentCustomerConsents',
        problems: ['PROCESSING_RESTRICTED'],
        tags,
        security: me,
        summary: 'Change my consent choices (email marketing stays pending until the emailed link is used)',
        body: StoreConsentsBody,
        response: { 200: StoreConsents },
      },
    },
    async (req) => {
      const id = requireCustomer(req).customerId;
      const channelId = requireChannel(req).channelId;
      await deps.db.tx(async (tx) => {
        for (const c of req.body.consents) {
          await recordConsent(tx, deps, {
            customerId: id,
            purpose: c.purpose,
            channel: c.channel,
            status: c.granted ? 'granted' : 'withdrawn',
            source: 'web_form',
            salesChannelId: channelId,
            proof: proofOf(req, req.body.form_version),
            recordedBy: `customer:${id}`,
          });
        }
      });
      return storeView(id);
    },
  );

  app.post(
    '/consents/confirm/:token',
    {
      config: { queryAuth: true },
      schema: {
        operationId: 'confirmConsent',
        tags,
        security: [{ channelKey: [] }],
        summary: 'Confirm an email subscription (double opt-in) with the token from the confirmation email',
        params: TokenParams,
        querystring: Obj({ channel_key: Type.Optional(Str({ max: 200 })) }),
        response: { 200: ConsentRecord },
      },
    },
    async (req) =>
      repo.consentToApi(
        unwrap(await deps.db.tx((tx) => confirmConsent(tx, deps, req.params.token, proofOf(req)))),
      ),
  );

  // RFC 8058 one-click unsubscribe: mail clients POST `List-Unsubscribe=One-Click` as a form.
  app.register(async (child) => {
    const oneClick = child as HttpApp;
    oneClick.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_req, _body, done) => done(null, {}),
    );
    oneClick.post(
      '/unsubscribe/:token',
      {
        config: { queryAuth: true },
        schema: {
          operationId: 'unsubscribe',
          tags,
          security: [{ channelKey: [] }],
          summary: 'One-click unsubscribe (no login): withdraws the consent the token names',
          description:
            'The link in a marketing message: `POST /store/unsubscribe/<token>?channel_key=pk_…`. Accepts an ' +
            'empty body, JSON or the RFC 8058 form body. Idempotent.',
          params: TokenParams,
          querystring: Obj({ channel_key: Type.Optional(Str({ max: 200 })) }),
          response: {
            200: Type.Object({
              unsubscribed: Type.Literal(true),
              purpose: Type.String(),
              channel: Type.String(),
            }),
          },
        },
      },
      async (req) => {
        const r = await deps.db.tx((tx) => unsubscribe(tx, deps, req.params.token, proofOf(req)));
        return { unsubscribed: true as const, ...r };
      },
    );
  });
};

export const consentAdminRoutes = (app: HttpApp, deps: Deps): void => {
  const tags = ['consent'];
  const security = [{ adminToken: [] }];
  const adminView = async (id: string) => {
    const c = await assertKnown(deps.db, id);
    return {
      processing_restricted: c.processing_restricted_at !== null,
      current: await consentStates(deps.db, id),
      history: (await repo.consentHistory(deps.db, [id])).map(repo.consentToApi),
    };
  };

  app.get(
    '/customers/:id/consents',
    {
      config: { staff: true },
      schema: {
        operationId: 'listAdminCustomerConsents',
        tags,
        security,
        summary: "A customer's consents: the current state and the full ledger with proofs",
        params: IdParams('cus'),
        response: { 200: AdminConsents },
      },
    },
    async (req) => adminView(req.params.id),
  );

  app.post(
    '/customers/:id/consents',
    {
      config: { staff: true },
      schema: {
        operationId: 'recordAdminCustomerConsent',
        problems: ['PROCESSING_RESTRICTED'],
        tags,
        security,
        summary: 'Record a consent statement collected at a POS, by import or through an integration',
        description: 'Email marketing granted under consent stays pending until confirmed (double opt-in).',
        params: IdParams('cus'),
        body: AdminConsentBody,
        response: { 201: AdminConsents },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (b.location_id) assertLocationAccess(req, b.location_id);
      await deps.db.tx((tx) =>
        recordConsent(tx, deps, {
          customerId: req.params.id,
          purpose: b.purpose,
          channel: b.channel,
          status: b.status,
          legalBasis: b.legal_basis,
          source: b.source,
          salesChannelId: b.sales_channel_id,
          locationId: b.location_id,
          proof: { ip: b.ip, userAgent: b.user_agent, formVersion: b.form_version },
          recordedBy: actorOf(requireAdmin(req)),
          recordedAt: b.recorded_at ? new Date(b.recorded_at) : undefined,
        }),
      );
      return reply.code(201).send(await adminView(req.params.id));
    },
  );

  app.get(
    '/customers/:id/unsubscribe-token',
    {
      schema: {
        operationId: 'getAdminCustomerUnsubscribeToken',
        tags,
        security,
        summary: 'A one-click unsubscribe token for a marketing message to this customer',
        params: IdParams('cus'),
        querystring: Obj({ purpose: PurposeSchema, channel: ContactChannelSchema }),
        response: { 200: Type.Object({ token: Type.String(), path: Type.String() }) },
      },
    },
    async (req) => {
      await assertKnown(deps.db, req.params.id);
      const token = await unsubscribeToken(deps.db, req.params.id, req.query.purpose, req.query.channel);
      return { token, path: `/store/unsubscribe/${token}` };
    },
  );
};
