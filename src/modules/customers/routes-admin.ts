import { notFound, PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { actorOf, requireAdmin } from '../../platform/http/auth.ts';
import { cursorId, IdParams, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { counterOf, phoneCountry } from './country.ts';
import {
  getIdentity,
  identityToApi,
  linkIdentity,
  normalizeIdentity,
  setIdentityFlags,
  unlinkIdentity,
} from './identities.ts';
import { findCustomerByIdentity } from './lookup.ts';
import { adminCustomerViews, createCustomer, lockActiveCustomer, updateProfile } from './profile.ts';
import * as repo from './repo.ts';
import {
  AdminCustomer,
  AdminProfilePatch,
  CreateCustomerBody,
  CustomersQuery,
  Identity,
  IdentityBody,
  IdentityParams,
  IdentityPatch,
  ImportBody,
  ImportResult,
} from './schema-profile.ts';

const tags = ['customers'];
const security = [{ adminToken: [] }];
const staff = { staff: true };

const actorOfReq = (req: Parameters<typeof requireAdmin>[0]) => actorOf(requireAdmin(req));

export const customerAdminRoutes = (app: HttpApp, deps: Deps): void => {
  const view = async (id: string) => {
    const row = await repo.getCustomer(deps.db, id);
    if (!row) throw notFound('Customer', id);
    return (await adminCustomerViews(deps.db, [row]))[0] as AdminCustomer;
  };

  app.get(
    '/customers',
    {
      config: staff,
      schema: {
        operationId: 'listAdminCustomers',
        tags,
        security,
        summary: 'Find a customer by any identity (as at a store counter), or list customers newest first',
        description:
          '`identity` takes an email, a phone number in any common format (read in PLAZA_COUNTRY when it has ' +
          'no country code), a loyalty card number with or without spaces, an external id, an anonymous id ' +
          'or a customer id. It answers at most one customer (merged profiles lead to the surviving one) ' +
          'with `matched` saying which identity matched.',
        querystring: CustomersQuery,
        response: { 200: Page(AdminCustomer) },
      },
    },
    async (req) => {
      const q = req.query;
      if (q.identity !== undefined) {
        const country = await phoneCountry(deps.db, deps.config.defaultCountry, {
          locationId: counterOf(requireAdmin(req), q.location_id),
        });
        const hit = await findCustomerByIdentity(deps.db, q.identity, country);
        if (!hit) return { data: [], next_cursor: null };
        const [v] = await adminCustomerViews(deps.db, [hit.customer]);
        return { data: [{ ...(v as AdminCustomer), matched: hit.matched }], next_cursor: null };
      }
      if (requireAdmin(req).scope === 'staff') {
        throw new PlazaError('FORBIDDEN', 'Staff tokens look customers up by identity (?identity=…)');
      }
      const rows = await repo.listCustomers(deps.db, {
        before: cursorId(q.cursor),
        status: q.status,
        q: q.q,
        limit: q.limit + 1,
      });
      const page = toPage(rows, q.limit, (r) => r);
      return { data: await adminCustomerViews(deps.db, page.data), next_cursor: page.next_cursor };
    },
  );

  app.post(
    '/customers',
    {
      config: staff,
      schema: {
        operationId: 'createAdminCustomer',
        problems: ['ALREADY_EXISTS', 'IDENTITY_SUPPRESSED'],
        tags,
        security,
        summary: 'Create a customer without a password (a POS, an integration); needs an email or a phone',
        body: CreateCustomerBody,
        response: { 201: AdminCustomer },
      },
    },
    async (req, reply) => {
      const row = unwrap(
        await deps.db.tx((tx) =>
          createCustomer(
            tx,
            deps,
            { ...req.body, source: req.body.source ?? 'admin' },
            { locationId: counterOf(requireAdmin(req)) },
          ),
        ),
      );
      return reply.code(201).send(await view(row.id));
    },
  );

  app.post(
    '/customers/import',
    {
      schema: {
        operationId: 'importAdminCustomers',
        tags,
        security,
        summary: 'Import up to 500 customers; each is created or refused on its own (erased people stay out)',
        body: ImportBody,
        response: { 200: ImportResult },
      },
    },
    async (req) => {
      const created: { index: number; id: string }[] = [];
      const refused: { index: number; code: string; detail: string; customer_id?: string }[] = [];
      for (const [index, c] of req.body.customers.entries()) {
        const r = await deps.db.tx((tx) =>
          createCustomer(
            tx,
            deps,
            { ...c, source: c.source ?? 'import' },
            { locationId: counterOf(requireAdmin(req)) },
          ),
        );
        if (r.ok) created.push({ index, id: r.value.id });
        else {
          const customerId = r.details.customer_id;
          refused.push({
            index,
            code: r.code,
            detail: r.detail,
            ...(typeof customerId === 'string' ? { customer_id: customerId } : {}),
          });
        }
      }
      return { created, refused };
    },
  );

  app.get(
    '/customers/:id',
    {
      config: staff,
      schema: {
        operationId: 'getAdminCustomer',
        tags,
        security,
        summary: 'A customer: profile, identities, addresses, state (merged, restricted, erased)',
        params: IdParams('cus'),
        response: { 200: AdminCustomer },
      },
    },
    async (req) => view(req.params.id),
  );

  app.patch(
    '/customers/:id',
    {
      config: staff,
      schema: {
        operationId: 'updateAdminCustomer',
        problems: ['ALREADY_EXISTS', 'IDENTITY_SUPPRESSED'],
        tags,
        security,
        summary: 'Change a profile (a new email or phone becomes the primary one)',
        params: IdParams('cus'),
        body: AdminProfilePatch,
        response: { 200: AdminCustomer },
      },
    },
    async (req) => {
      const where = { locationId: counterOf(requireAdmin(req)) };
      unwrap(
        await deps.db.tx((tx) => updateProfile(tx, deps, req.params.id, req.body, actorOfReq(req), where)),
      );
      return view(req.params.id);
    },
  );

  app.post(
    '/customers/:id/identities',
    {
      config: staff,
      schema: {
        operationId: 'addAdminCustomerIdentity',
        problems: ['ALREADY_EXISTS', 'IDENTITY_SUPPRESSED'],
        tags,
        security,
        summary: 'Link an identity (email, phone, loyalty card, external id, anonymous id) to a customer',
        description:
          'An identity linked to another customer is never moved: ALREADY_EXISTS (merge them instead).',
        params: IdParams('cus'),
        body: IdentityBody,
        response: { 201: Identity },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const country = await phoneCountry(deps.db, deps.config.defaultCountry, {
        locationId: counterOf(requireAdmin(req)),
      });
      const value = normalizeIdentity(b.kind, b.value, country);
      if (!value) {
        throw new PlazaError('VALIDATION_FAILED', `body.value is not a valid ${b.kind}`, {
          errors: [{ path: 'body.value', message: `is not a valid ${b.kind}` }],
        });
      }
      const identity = await deps.db.tx(async (tx) => {
        await lockActiveCustomer(tx, req.params.id);
        const r = unwrap(
          await linkIdentity(tx, deps, {
            customerId: req.params.id,
            kind: b.kind,
            value,
            verified: b.verified,
            primary: b.primary,
            source: 'admin',
          }),
        );
        if (r.status === 'linked_to_other') {
          throw new PlazaError(
            'ALREADY_EXISTS',
            `This ${b.kind} belongs to another customer; merge them instead`,
            {
              customer_id: r.identity.customer_id,
            },
          );
        }
        return r.identity;
      });
      return reply.code(201).send(identityToApi(identity));
    },
  );

  const ownIdentity = async (customerId: string, identityId: string) => {
    const i = await getIdentity(deps.db, identityId);
    if (!i || i.customer_id !== customerId) throw notFound('Identity', identityId);
    return i;
  };

  app.patch(
    '/customers/:id/identities/:identityId',
    {
      config: staff,
      schema: {
        operationId: 'updateAdminCustomerIdentity',
        problems: ['ALREADY_EXISTS', 'IDENTITY_SUPPRESSED'],
        tags,
        security,
        summary: 'Mark an identity verified, or make an email or phone the primary one',
        params: IdentityParams,
        body: IdentityPatch,
        response: { 200: Identity },
      },
    },
    async (req) => {
      const i = await ownIdentity(req.params.id, req.params.identityId);
      return identityToApi(
        unwrap(
          await deps.db.tx(async (tx) => {
            await lockActiveCustomer(tx, req.params.id);
            return setIdentityFlags(tx, deps, i, req.body);
          }),
        ),
      );
    },
  );

  app.delete(
    '/customers/:id/identities/:identityId',
    {
      config: staff,
      schema: {
        operationId: 'removeAdminCustomerIdentity',
        tags,
        security,
        summary: 'Unlink an identity (kept as history with unlinked_at)',
        params: IdentityParams,
        response: { 200: Identity },
      },
    },
    async (req) => {
      const i = await ownIdentity(req.params.id, req.params.identityId);
      return identityToApi(unwrap(await deps.db.tx((tx) => unlinkIdentity(tx, deps, i, actorOfReq(req)))));
    },
  );
};
