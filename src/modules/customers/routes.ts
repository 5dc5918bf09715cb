import { Type } from '@sinclair/typebox';
import { PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireChannel, requireCustomer } from '../../platform/http/auth.ts';
import { Obj } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { ipSubject } from '../../platform/rate-limit.ts';
import { AUTH_BODY_LIMIT } from '../../platform/rate-limit-config.ts';
import { unwrap } from '../../platform/result.ts';
import {
  Address,
  AddressInput,
  AddressPatch,
  addAddress,
  addressToApi,
  deleteAddress,
  updateAddress,
} from './addresses.ts';
import { ANONYMOUS_ID_HEADER, anonymousIdHook, anonymousIdOf } from './anonymous.ts';
import { profileViews, updateProfile } from './profile.ts';
import { customerToApi } from './repo.ts';
import { Customer, RegisterBody } from './schema.ts';
import { AddressParams, CustomerProfile, StoreProfilePatch } from './schema-profile.ts';
import { getCustomerOrThrow, linkAnonymousId, logout, register } from './service.ts';

const tags = ['store: customers'];
const me = [{ channelKey: [], customerToken: [] }];

export const customerStoreRoutes = (app: HttpApp, deps: Deps): void => {
  app.addHook('onRequest', anonymousIdHook);

  const profile = async (id: string) => {
    const [view] = await profileViews(deps.db, [await getCustomerOrThrow(deps.db, id)]);
    return view as CustomerProfile;
  };

  app.post(
    '/customers',
    {
      bodyLimit: AUTH_BODY_LIMIT,
      config: { rateLimits: [{ name: 'signupPerIp', subject: ipSubject }] },
      schema: {
        operationId: 'registerCustomer',
        reads: { 'x-plaza-anonymous-id': 'optional' },
        problems: ['ALREADY_EXISTS', 'IDENTITY_SUPPRESSED', 'RATE_LIMITED'],
        tags,
        security: [{ channelKey: [] }],
        summary: 'Register a customer account (links the x-plaza-anonymous-id device to it)',
        body: RegisterBody,
        response: { 201: Customer },
      },
    },
    async (req, reply) => {
      const ctx = { channelId: requireChannel(req).channelId, anonymousId: anonymousIdOf(req) };
      const row = await deps.db.tx((tx) => register(tx, deps, req.body, ctx));
      return reply.code(201).send(customerToApi(row));
    },
  );

  app.delete(
    '/auth/token',
    {
      config: { customer: true },
      schema: {
        operationId: 'logOutCustomer',
        tags,
        security: me,
        summary: 'Log out: the token is revoked server-side',
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await logout(deps, requireCustomer(req).sessionId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/customers/me',
    {
      config: { customer: true },
      schema: {
        operationId: 'getCurrentCustomer',
        tags,
        security: me,
        summary: 'The logged-in customer: profile, emails, phones, addresses',
        response: { 200: CustomerProfile },
      },
    },
    async (req) => profile(requireCustomer(req).customerId),
  );

  app.patch(
    '/customers/me',
    {
      config: { customer: true },
      schema: {
        operationId: 'updateCurrentCustomer',
        problems: ['ALREADY_EXISTS', 'IDENTITY_SUPPRESSED'],
        tags,
        security: me,
        summary: 'Change names, birthday, language, preferred store or phone (E.164 after normalisation)',
        body: StoreProfilePatch,
        response: { 200: CustomerProfile },
      },
    },
    async (req) => {
      const id = requireCustomer(req).customerId;
      const where = { channelId: requireChannel(req).channelId };
      unwrap(await deps.db.tx((tx) => updateProfile(tx, deps, id, req.body, `customer:${id}`, where)));
      return profile(id);
    },
  );

  app.post(
    '/customers/me/identify',
    {
      config: { customer: true },
      schema: {
        operationId: 'identifyCurrentCustomer',
        reads: { 'x-plaza-anonymous-id': 'required' },
        tags,
        security: me,
        summary: `Link this device (${ANONYMOUS_ID_HEADER}) to the logged-in customer`,
        description:
          'A device already linked to another customer stays theirs (shared device): the answer says ' +
          '`linked_to_other` and only this session records that it saw the device.',
        body: Type.Optional(Obj({})),
        response: {
          200: Type.Object({
            device: Type.Union([
              Type.Literal('linked'),
              Type.Literal('seen'),
              Type.Literal('linked_to_other'),
            ]),
          }),
        },
      },
    },
    async (req) => {
      const anonymousId = anonymousIdOf(req);
      if (!anonymousId) {
        throw new PlazaError('INVALID_ANONYMOUS_ID', `Send the device's ${ANONYMOUS_ID_HEADER} header`, {
          header: ANONYMOUS_ID_HEADER,
        });
      }
      const c = requireCustomer(req);
      const device = await deps.db.tx((tx) =>
        linkAnonymousId(tx, deps, {
          customerId: c.customerId,
          anonymousId,
          channelId: requireChannel(req).channelId,
          source: 'identify',
          sessionId: c.sessionId,
        }),
      );
      return { device };
    },
  );

  app.get(
    '/customers/me/addresses',
    {
      config: { customer: true },
      schema: {
        operationId: 'listCurrentCustomerAddresses',
        tags,
        security: me,
        summary: 'My addresses',
        response: { 200: Type.Object({ data: Type.Array(Address) }) },
      },
    },
    async (req) => ({ data: (await profile(requireCustomer(req).customerId)).addresses }),
  );

  app.post(
    '/customers/me/addresses',
    {
      config: { customer: true },
      schema: {
        operationId: 'addCurrentCustomerAddress',
        tags,
        security: me,
        summary: 'Add an address (the first becomes the default shipping address)',
        body: AddressInput,
        response: { 201: Address },
      },
    },
    async (req, reply) => {
      const id = requireCustomer(req).customerId;
      const row = await deps.db.tx((tx) => addAddress(tx, deps, id, req.body));
      return reply.code(201).send(addressToApi(row));
    },
  );

  app.patch(
    '/customers/me/addresses/:addressId',
    {
      config: { customer: true },
      schema: {
        operationId: 'updateCurrentCustomerAddress',
        tags,
        security: me,
        summary: 'Change an address',
        params: AddressParams,
        body: AddressPatch,
        response: { 200: Address },
      },
    },
    async (req) => {
      const id = requireCustomer(req).customerId;
      return addressToApi(
        await deps.db.tx((tx) => updateAddress(tx, deps, id, req.params.addressId, req.body)),
      );
    },
  );

  app.delete(
    '/customers/me/addresses/:addressId',
    {
      config: { customer: true },
      schema: {
        operationId: 'deleteCurrentCustomerAddress',
        tags,
        security: me,
        summary: 'Remove an address',
        params: AddressParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const id = requireCustomer(req).customerId;
      await deps.db.tx((tx) => deleteAddress(tx, deps, id, req.params.addressId));
      return reply.code(204).send(null);
    },
  );
};
