import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireOwner } from '../../platform/http/auth.ts';
import { IdParams, Obj } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import * as repo from './repo.ts';
import { AdminToken, CreatedToken, CreateTokenBody } from './schema.ts';
import { createToken, revokeToken } from './service.ts';

const tags = ['tokens'];
const security = [{ adminToken: [] }];

export const accessAdminRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/tokens',
    {
      schema: {
        operationId: 'createAdminToken',
        tags,
        security,
        summary: 'Create an admin or staff token (the secret is shown once); owners and admin tokens only',
        body: CreateTokenBody,
        problems: ['FORBIDDEN'],
        response: { 201: CreatedToken },
      },
    },
    async (req, reply) => {
      const by = requireOwner(req).tokenId;
      const { token, row } = await deps.db.tx((tx) => createToken(tx, deps, { ...req.body, createdBy: by }));
      return reply.code(201).send({ token, admin_token: repo.toApi(row) });
    },
  );

  app.get(
    '/tokens',
    {
      schema: {
        operationId: 'listAdminTokens',
        tags,
        security,
        summary: 'List admin and staff tokens (never the secrets)',
        querystring: Obj({ include_revoked: Type.Boolean({ default: false }) }),
        response: { 200: Type.Object({ data: Type.Array(AdminToken) }) },
      },
    },
    async (req) => ({ data: (await repo.listTokens(deps.db, req.query.include_revoked)).map(repo.toApi) }),
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        operationId: 'revokeAdminToken',
        tags,
        security,
        summary: 'Revoke a token; it is refused from the next request on; owners and admin tokens only',
        params: IdParams('tok'),
        problems: ['FORBIDDEN'],
        response: { 200: AdminToken },
      },
    },
    async (req) =>
      repo.toApi(await deps.db.tx((tx) => revokeToken(tx, deps, req.params.id, requireOwner(req).tokenId))),
  );
};
