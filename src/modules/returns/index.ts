/** Returns: what comes back from an order, where it was received, how it was inspected and refunded. */
export { RETURN_STATUSES, type ReturnStatus, returnMachine } from './machine.ts';
export { personalData } from './personal-data.ts';
export {
  type Condition,
  getReturn,
  listReturns,
  type ReturnLineRow,
  type ReturnRefundMethod,
  type ReturnRow,
  returnLinesOf,
  returnOfExchangeOrder,
  setLineCondition,
  updateReturn,
} from './repo.ts';
export { changeReturn, createReturnRecord, type NewReturn, returnEventData } from './service.ts';
