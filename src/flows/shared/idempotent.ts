import type { FastifyRequest } from 'fastify';
import type { Tx } from '../../platform/db.ts';
import {
  attachResource,
  claimKey,
  completeKey,
  idempotencyKeyOf,
  releaseKey,
  requestHash,
} from '../../platform/idempotency.ts';
import type { Deps } from '../../platform/module.ts';

export interface OnceContext {
  /** The resource a previous attempt with this key created before it died (resume it), else null. */
  resumeId: string | null;
  /** Records the created resource with the key, in the transaction that creates it. */
  attach(tx: Tx, resourceId: string): Promise<void>;
}

/**
 * Runs a mutation at most once per `Idempotency-Key` (in `scope`): a replay gets the first answer,
 * the same key with another body is IDEMPOTENCY_MISMATCH, and a replay while the first runs is
 * IDEMPOTENCY_IN_PROGRESS. An attempt that fails with an error releases the key, so the client may
 * retry with it. Without a key (when not required) the mutation simply runs.
 */
export const once = async <T>(
  deps: Deps,
  req: FastifyRequest,
  opts: { scope: string; required: boolean; status: number; leaseMs?: number },
  run: (ctx: OnceContext) => Promise<T>,
): Promise<{ status: number; body: T }> => {
  const key = idempotencyKeyOf(req, opts.required);
  if (!key) {
    return { status: opts.status, body: await run({ resumeId: null, attach: async () => undefined }) };
  }
  const claim = await claimKey(deps.db, deps.clock, {
    scope: opts.scope,
    key,
    hash: requestHash(req.method, req.url, req.body),
    leaseMs: opts.leaseMs ?? deps.config.paymentTimeoutMs + 30_000,
  });
  if (claim.kind === 'replay') return { status: claim.status, body: claim.body as T };
  try {
    const body = await run({
      resumeId: claim.kind === 'resume' ? claim.resourceId : null,
      attach: async (tx, id) => {
        await attachResource(tx, opts.scope, key, id);
      },
    });
    await completeKey(deps.db, deps.clock, opts.scope, key, opts.status, body);
    return { status: opts.status, body };
  } catch (e) {
    await releaseKey(deps.db, opts.scope, key);
    throw e;
  }
};
