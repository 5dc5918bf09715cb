/** Rows and domain objects as the HTTP API shows them. */
import type { Static } from '@sinclair/typebox';
import type { PurchaseOrder } from './orders-repo.ts';
import type { PurchaseOrderView, Supplier, SupplierSku } from './schema.ts';
import type { SupplierRow, SupplierSkuRow } from './suppliers-repo.ts';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export const supplierToApi = (r: SupplierRow): Supplier => ({
  id: r.id,
  name: r.name,
  email: r.email,
  lead_time_days: r.lead_time_days,
  active: r.active,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export const supplierSkuToApi = (r: SupplierSkuRow): Static<typeof SupplierSku> => ({
  supplier_id: r.supplier_id,
  sku: r.sku,
  lead_time_days: r.lead_time_days,
  effective_lead_time_days: r.effective_lead_time_days,
  min_order: r.min_order,
  pack_size: r.pack_size,
  preferred: r.preferred,
});

/** Units still to receive on a line: none once the order is cancelled. */
export const outstandingOf = (po: Pick<PurchaseOrder, 'status'>, l: PurchaseOrder['lines'][number]) =>
  po.status === 'cancelled' ? 0 : l.quantity - l.quantity_received;

export const purchaseOrderToApi = (p: PurchaseOrder): PurchaseOrderView => {
  const lines = p.lines.map((l) => ({ ...l, outstanding: outstandingOf(p, l) }));
  return {
    id: p.id,
    supplier_id: p.supplier_id,
    supplier_name: p.supplier_name,
    location_id: p.location_id,
    status: p.status,
    expected_on: p.expected_on,
    note: p.note,
    lines,
    outstanding: lines.reduce((n, l) => n + l.outstanding, 0),
    created_by: p.created_by,
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
    ordered_at: iso(p.ordered_at),
    received_at: iso(p.received_at),
    cancelled_at: iso(p.cancelled_at),
  };
};
