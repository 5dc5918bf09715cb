/**
 * Purchasing: suppliers, the SKUs they sell (lead time, minimum order, pack size, the preferred
 * supplier of each SKU) and purchase orders, whose receipts put stock in through the inventory ledger.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { purchaseOrderRoutes } from './routes-orders.ts';
import { supplierRoutes } from './routes-suppliers.ts';

export { purchaseOrderToApi } from './api.ts';
export { PURCHASING_EVENTS, type PurchasingEvent } from './events.ts';
export {
  type CreatePurchaseOrderInput,
  cancelPurchaseOrder,
  createPurchaseOrder,
  inboundPurchases,
  type OrderLineInput,
  orderPurchaseOrder,
  PURCHASE_ORDER_MACHINE,
  receivePurchaseOrder,
} from './orders.ts';
export {
  getPurchaseOrder,
  type InboundLine,
  type PurchaseOrder,
  type PurchaseOrderLine,
} from './orders-repo.ts';
export { PURCHASE_ORDER_STATUSES, type PurchaseOrderStatus } from './schema.ts';
export {
  createSupplier,
  getSupplierOrThrow,
  preferredSuppliers,
  putSupplierSku,
  removeSupplierSku,
  type SupplierChoice,
  updateSupplier,
} from './suppliers.ts';
export type { SupplierRow, SupplierSkuRow } from './suppliers-repo.ts';

export const purchasingModule: PlazaModule = {
  name: 'purchasing',
  tags: [
    {
      name: 'purchasing',
      description: 'Suppliers, what they sell, and purchase orders received into stock',
    },
  ],
  adminRoutes(app, deps) {
    supplierRoutes(app, deps);
    purchaseOrderRoutes(app, deps);
  },
};
export { personalData } from './personal-data.ts';
