import { stateMachine } from '../../platform/state-machine.ts';

export const POS_SALE_STATUSES = ['open', 'paying', 'completed', 'voided'] as const;
export type PosSaleStatus = (typeof POS_SALE_STATUSES)[number];

/**
 * A counter sale: `open` while items are scanned, `paying` while the payment runs (a declined
 * payment reopens it), `completed` once paid (its order is completed), or `voided` (abandoned).
 */
export const posSaleMachine = stateMachine<PosSaleStatus>('pos_sale', {
  open: ['paying', 'voided'],
  paying: ['open', 'completed'],
  completed: [],
  voided: [],
});
