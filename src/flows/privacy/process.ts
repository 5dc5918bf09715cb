/** Carrying out a data request: export, restrict, lift the restriction, or erase; then it is completed. */

import { Type } from '@sinclair/typebox';
import { setProcessingRestricted } from '../../modules/customers/index.ts';
import { closeRequest, getRequest, PrivacyRequest, requestToApi } from '../../modules/privacy/index.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireAdmin } from '../../platform/http/auth.ts';
import { IdParams, Obj } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { eraseCustomer } from './erase.ts';
import { buildExport } from './export.ts';

export const processRequest = async (
  deps: Deps,
  requestId: string,
  by: string,
): Promise<Result<Awaited<ReturnType<typeof closeRequest>>, 'CONFLICT'>> =>
  deps.db.tx(async (tx) => {
    const r = await getRequest(tx, requestId, true);
    if (!r) throw notFound('Request', requestId);
    if (r.status !== 'received')
      return fail('CONFLICT', `This request is already ${r.status}`, { status: r.status });
    let result: unknown;
    if (r.kind === 'export') result = await buildExport(tx, deps, r.customer_id);
    else if (r.kind === 'restrict' || r.kind === 'lift_restriction') {
      await setProcessingRestricted(tx, deps, r.customer_id, r.kind === 'restrict', by);
      result = { processing_restricted: r.kind === 'restrict' };
    } else {
      const erased = await eraseCustomer(tx, deps, r.customer_id, r.id);
      if (!erased.ok) return erased;
      result = erased.value;
    }
    return ok(await closeRequest(tx, deps, r.id, { status: 'completed', by, result }));
  });

export const processRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/privacy/requests/:id/process',
    {
      schema: {
        tags: ['privacy'],
        security: [{ adminToken: [] }],
        summary: 'Carry out a data request (export, restrict, lift restriction, erase) and complete it',
        description:
          'Erasure is refused with CONFLICT (`open_orders`) while an order is open. An export result is then ' +
          'available at GET /admin/privacy/requests/:id/export and to the customer.',
        params: IdParams('dsr'),
        body: Type.Optional(Obj({})),
        response: { 200: PrivacyRequest },
      },
    },
    async (req) => {
      const r = await processRequest(deps, req.params.id, `token:${requireAdmin(req).tokenId}`);
      if (!r.ok) throw new PlazaError(r.code, r.detail, r.details);
      return requestToApi(r.value, deps.clock.now());
    },
  );
};
