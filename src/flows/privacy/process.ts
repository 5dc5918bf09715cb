/** Carrying out a data request: export, restrict, lift the restriction, or erase; then it is completed. */

import { type Static, Type } from '@sinclair/typebox';
import { setProcessingRestricted } from '../../modules/customers/index.ts';
import {
  closeRequest,
  EXPORT_TTL_MS,
  getRequest,
  PrivacyRequest,
  type RequestRow,
  requestToApi,
  setBalanceDecision,
} from '../../modules/privacy/index.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireAdmin } from '../../platform/http/auth.ts';
import { IdParams, Obj, Str } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { eraseCustomer } from './erase.ts';
import { buildExport } from './export.ts';

export const ProcessBody = Obj({
  balances: Type.Optional(
    Type.Union([Type.Literal('refund'), Type.Literal('forfeit'), Type.Literal('wait')], {
      description:
        'Erasure of a customer with store credit or points: `refund` (the store credit was paid out to them; ' +
        'points have no cash value and are forfeited), `forfeit` (needs `reason`), or `wait` (the request stays ' +
        'open until the balances are used or paid out). Required when there is a balance.',
    }),
  ),
  reason: Type.Optional(Str({ min: 1, max: 500 })),
});
export type ProcessBody = Static<typeof ProcessBody>;

export const processRequest = async (
  deps: Deps,
  requestId: string,
  by: string,
  body: ProcessBody = {},
): Promise<Result<RequestRow, 'CONFLICT' | 'BALANCE_DECISION_REQUIRED'>> =>
  deps.db.tx(async (tx) => {
    const r = await getRequest(tx, requestId, true);
    if (!r) throw notFound('Request', requestId);
    if (r.status !== 'received')
      return fail('CONFLICT', `This request is already ${r.status}`, { status: r.status });
    const now = deps.clock.now();
    if (r.kind === 'export') {
      const result = await buildExport(tx, deps, r.customer_id);
      const expiresAt = new Date(now.getTime() + EXPORT_TTL_MS);
      return ok(await closeRequest(tx, deps, r.id, { status: 'completed', by, result, expiresAt }));
    }
    if (r.kind === 'restrict' || r.kind === 'lift_restriction') {
      await setProcessingRestricted(tx, deps, r.customer_id, r.kind === 'restrict', by);
      const result = { processing_restricted: r.kind === 'restrict' };
      return ok(await closeRequest(tx, deps, r.id, { status: 'completed', by, result }));
    }
    const erased = await eraseCustomer(tx, deps, r.customer_id, {
      id: r.id,
      decision: body.balances,
      reason: body.reason ?? null,
    });
    if (!erased.ok) return erased;
    if (!erased.value.done) {
      await setBalanceDecision(tx, r.id, 'wait');
      return ok((await getRequest(tx, r.id)) as RequestRow);
    }
    const result = erased.value.report;
    return ok(
      await closeRequest(tx, deps, r.id, {
        status: 'completed',
        by,
        result,
        decision: result.balances.decision,
      }),
    );
  });

export const processRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/privacy/requests/:id/process',
    {
      schema: {
        operationId: 'processAdminPrivacyRequest',
        problems: ['BALANCE_DECISION_REQUIRED'],
        tags: ['privacy'],
        security: [{ adminToken: [] }],
        summary: 'Carry out a data request (export, restrict, lift restriction, erase) and complete it',
        description:
          'Erasure is refused with CONFLICT (`open_orders`) while an order is open. An export result is then ' +
          'available at GET /admin/privacy/requests/:id/export and to the customer.',
        params: IdParams('dsr'),
        body: Type.Optional(ProcessBody),
        response: { 200: PrivacyRequest },
      },
    },
    async (req) => {
      const r = await processRequest(
        deps,
        req.params.id,
        `token:${requireAdmin(req).tokenId}`,
        req.body ?? {},
      );
      if (!r.ok) throw new PlazaError(r.code, r.detail, r.details);
      return requestToApi(r.value, deps.clock.now());
    },
  );
};
