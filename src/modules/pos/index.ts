/** POS sales: what a staff member scans at a store counter before it is paid and becomes an order. */
export { POS_SALE_STATUSES, type PosSaleStatus, posSaleMachine } from './machine.ts';
export { personalData } from './personal-data.ts';
export {
  getSale,
  linesOfSale,
  listSales,
  type PosLineRow,
  type PosSaleRow,
  type SalePatch,
  saleOfOrder,
  updateSale,
} from './repo.ts';
export { changeSale, openSale, setQuantity } from './service.ts';
