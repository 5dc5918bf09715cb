import { stateMachine } from '../../platform/state-machine.ts';

export const RETURN_STATUSES = ['requested', 'received', 'completed', 'cancelled'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/**
 * A return: `requested` (announced, e.g. sent by mail) → `received` (inspected at the receiving
 * location: restocked or written off) → `completed` (the refund, store credit or exchange settled).
 * Only a return not received yet can be cancelled.
 */
export const returnMachine = stateMachine<ReturnStatus>('return', {
  requested: ['received', 'cancelled'],
  received: ['completed'],
  completed: [],
  cancelled: [],
});
