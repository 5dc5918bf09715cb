/**
 * Data-subject requests (GDPR articles 15–20): export, restriction of processing and its lifting,
 * erasure. Each is recorded with its statutory deadline (30 days after receipt) and a status that
 * only moves forward: received → completed or rejected. Carrying them out spans modules
 * (src/flows/privacy); this module keeps the register.
 */
import type { Static } from '@sinclair/typebox';
import type { Tx } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { recordTransition, stateMachine } from '../../platform/state-machine.ts';
import type { Job } from '../../platform/worker.ts';
import { getCustomer } from '../customers/index.ts';
import type { ExportDocument } from './export-schema.ts';
import * as repo from './repo.ts';

type ExportDoc = Static<typeof ExportDocument>;

export const requestMachine = stateMachine<repo.RequestStatus>('privacy_request', {
  received: ['completed', 'rejected'],
  completed: [],
  rejected: [],
});

/** Files a request. One open request per kind: a second answers ALREADY_EXISTS with its id. */
export const fileRequest = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  r: {
    customerId: string;
    kind: repo.RequestKind;
    source: 'customer' | 'admin';
    channelId?: string | null;
    note?: string | null;
    by: string;
  },
): Promise<Result<repo.RequestRow, 'ALREADY_EXISTS'>> => {
  const c = await getCustomer(tx, r.customerId);
  if (!c || c.status === 'erased') throw notFound('Customer', r.customerId);
  const row = await repo.insertRequest(tx, {
    id: newId('dsr'),
    customer_id: c.id,
    kind: r.kind,
    source: r.source,
    channel_id: r.channelId ?? null,
    note: r.note ?? null,
    received_at: deps.clock.now(),
  });
  if (!row) {
    const open = await repo.openRequest(tx, c.id, r.kind);
    return fail('ALREADY_EXISTS', `An ${r.kind} request is already open`, { open_request_id: open?.id });
  }
  await recordTransition(tx, deps.clock, requestMachine, {
    entityType: 'privacy_request',
    entityId: row.id,
    from: null,
    to: 'received',
    actor: r.by,
  });
  await writeEvent(tx, deps.clock, {
    type: 'privacy.request_received',
    aggregateType: 'customer',
    aggregateId: c.id,
    data: {
      customer_id: c.id,
      request_id: row.id,
      kind: row.kind,
      due_at: row.due_at.toISOString(),
      channel_id: row.channel_id,
    },
  });
  return ok(row);
};

/** Closes a request (checked against the machine), recorded and announced. */
export const closeRequest = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  c: {
    status: 'completed' | 'rejected';
    by: string;
    result?: unknown;
    reason?: string | null;
    expiresAt?: Date | null;
    decision?: 'refund' | 'forfeit' | 'wait' | null;
  },
): Promise<repo.RequestRow> => {
  const r = await repo.getRequest(tx, id, true);
  if (!r) throw notFound('Request', id);
  await recordTransition(tx, deps.clock, requestMachine, {
    entityType: 'privacy_request',
    entityId: id,
    from: r.status,
    to: c.status,
    actor: c.by,
    reason: c.reason ?? null,
  });
  const row = await repo.closeRequest(tx, id, { ...c, at: deps.clock.now() });
  await writeEvent(tx, deps.clock, {
    type: `privacy.request_${c.status}`,
    aggregateType: 'customer',
    aggregateId: r.customer_id,
    data: { customer_id: r.customer_id, request_id: id, kind: r.kind, reason: c.reason ?? null, by: c.by },
  });
  return row;
};

/**
 * The document of a completed export, for its owner or an admin. Each download is recorded as a
 * `privacy.export_downloaded` event; after the download period (7 days) the document is gone
 * (EXPORT_EXPIRED): file a new request.
 */
export const downloadExport = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  r: repo.RequestRow,
  by: string,
): Promise<ExportDoc> => {
  if (r.status !== 'completed') {
    throw new PlazaError('CONFLICT', 'The export is not ready yet', { status: r.status });
  }
  const now = deps.clock.now();
  const doc = await repo.exportResult(tx, r.id);
  if (!doc || (r.result_expires_at && r.result_expires_at <= now)) {
    throw new PlazaError('EXPORT_EXPIRED', 'This export is no longer available; file a new export request', {
      expired_at: r.result_expires_at?.toISOString() ?? null,
    });
  }
  await writeEvent(tx, deps.clock, {
    type: 'privacy.export_downloaded',
    aggregateType: 'customer',
    aggregateId: r.customer_id,
    data: { customer_id: r.customer_id, request_id: r.id, by },
  });
  return doc as ExportDoc;
};

/** The sweeper that forgets export documents after their download period. */
export const exportExpiryJob = (deps: Pick<Deps, 'db' | 'clock'>): Job => ({
  name: 'privacy-export-expiry',
  intervalMs: 60 * 60_000,
  runOnce: () => repo.expireExports(deps.db, deps.clock.now()),
});
