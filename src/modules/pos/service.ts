import type { Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { recordTransition } from '../../platform/state-machine.ts';
import { type PosSaleStatus, posSaleMachine } from './machine.ts';
import * as repo from './repo.ts';

type Clocked = Pick<Deps, 'clock'>;

/** Opens a sale at a store counter for a staff member. */
export const openSale = async (
  tx: Tx,
  deps: Clocked,
  s: {
    channelId: string;
    locationId: string;
    staffTokenId: string;
    staffName: string;
    customerId: string | null;
  },
): Promise<repo.PosSaleRow> => {
  const now = deps.clock.now();
  const sale = await repo.insertSale(tx, {
    id: newId('pos'),
    channel_id: s.channelId,
    location_id: s.locationId,
    staff_token_id: s.staffTokenId,
    staff_name: s.staffName,
    customer_id: s.customerId,
    cart_id: null,
    cart_version: null,
    status: 'open',
    order_id: null,
    tendered: null,
    version: 1,
    created_at: now,
    updated_at: now,
    completed_at: null,
  });
  await recordTransition(tx, deps.clock, posSaleMachine, {
    entityType: 'pos_sale',
    entityId: sale.id,
    from: null,
    to: 'open',
    actor: `token:${s.staffTokenId}`,
    data: { location_id: s.locationId, channel_id: s.channelId },
  });
  return sale;
};

/** Moves a sale to `to` (checked against the sale machine) with a patch, recorded. */
export const changeSale = async (
  tx: Tx,
  deps: Clocked,
  sale: repo.PosSaleRow,
  to: PosSaleStatus,
  opts: { actor: string; reason?: string; patch?: repo.SalePatch },
): Promise<repo.PosSaleRow> => {
  await recordTransition(tx, deps.clock, posSaleMachine, {
    entityType: 'pos_sale',
    entityId: sale.id,
    from: sale.status,
    to,
    actor: opts.actor,
    reason: opts.reason ?? null,
    data: { location_id: sale.location_id, order_id: opts.patch?.order_id ?? sale.order_id },
  });
  return repo.updateSale(tx, sale.id, { ...(opts.patch ?? {}), status: to }, deps.clock.now());
};

/** Sets a SKU's quantity on an open sale (0 removes it). */
export const setQuantity = async (
  tx: Tx,
  deps: Clocked,
  sale: repo.PosSaleRow,
  sku: string,
  quantity: number,
) => {
  await repo.setSaleLine(tx, {
    id: newId('psl'),
    sale_id: sale.id,
    sku,
    quantity,
    created_at: deps.clock.now(),
  });
  return repo.updateSale(tx, sale.id, {}, deps.clock.now());
};
