/** /admin/staff: staff accounts, managed by owners (everyone) and managers (managers and staff). */
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireAdmin } from '../../platform/http/auth.ts';
import { cursorId, IdParams, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import * as repo from './repo.ts';
import { publicBase } from './routes-auth.ts';
import { Invitation, InviteBody, Link, PatchBody, StaffQuery, StaffUser } from './schema.ts';
import { acceptUrl, invite, resetLink, updateStaff } from './service.ts';

const tags = ['staff'];
const security = [{ adminToken: [] }];

export const staffAdminRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/staff/invitations',
    {
      schema: {
        operationId: 'inviteStaff',
        tags,
        security,
        problems: ['ALREADY_EXISTS'],
        summary: 'Invite a person: an `invited` account and a one-time link (72 h) to set a password',
        body: InviteBody,
        response: { 201: Invitation },
      },
    },
    async (req, reply) => {
      const r = await deps.db.tx((tx) => invite(tx, deps, requireAdmin(req), req.body));
      return reply.code(201).send({
        user: repo.userToApi(r.user),
        url: acceptUrl(publicBase(deps, req), r.link.token),
        expires_at: r.link.expiresAt.toISOString(),
      });
    },
  );

  app.get(
    '/staff',
    {
      schema: {
        operationId: 'listStaff',
        tags,
        security,
        summary: 'Staff accounts, by id; filter by role, status or part of the name or e-mail (`q`)',
        querystring: StaffQuery,
        response: { 200: Page(StaffUser) },
      },
    },
    async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const rows = await repo.listUsers(deps.db, { ...filter, after: cursorId(cursor), limit: limit + 1 });
      return toPage(rows, limit, repo.userToApi);
    },
  );

  app.get(
    '/staff/:id',
    {
      schema: {
        operationId: 'getStaff',
        tags,
        security,
        summary: 'One staff account',
        params: IdParams('usr'),
        response: { 200: StaffUser },
      },
    },
    async (req) => {
      const user = await repo.getUser(deps.db, req.params.id);
      if (!user) throw notFound('Staff user', req.params.id);
      return repo.userToApi(user);
    },
  );

  app.patch(
    '/staff/:id',
    {
      schema: {
        operationId: 'updateStaff',
        tags,
        security,
        problems: ['CONFLICT'],
        summary:
          'Change a staff account; disabling it, or changing its role or locations, ends its sessions at once',
        params: IdParams('usr'),
        body: PatchBody,
        response: { 200: StaffUser },
      },
    },
    async (req) =>
      repo.userToApi(
        await deps.db.tx((tx) => updateStaff(tx, deps, requireAdmin(req), req.params.id, req.body)),
      ),
  );

  app.post(
    '/staff/:id/reset-link',
    {
      schema: {
        operationId: 'createStaffResetLink',
        tags,
        security,
        summary:
          'A new one-time link for the account: a password reset (1 h), or a new invitation (72 h) while invited',
        params: IdParams('usr'),
        response: { 201: Link },
      },
    },
    async (req, reply) => {
      const link = await deps.db.tx((tx) => resetLink(tx, deps, requireAdmin(req), req.params.id));
      return reply.code(201).send({
        url: acceptUrl(publicBase(deps, req), link.token),
        expires_at: link.expiresAt.toISOString(),
      });
    },
  );
};
