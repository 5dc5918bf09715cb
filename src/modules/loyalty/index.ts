/** Loyalty: program settings, accounts with card numbers, an append-only points ledger, tiers, expiry. */
import type { PlazaModule } from '../../platform/module.ts';
import { expirySweeper } from './expiry.ts';
import { loyaltyRoutes } from './routes.ts';

export { checkCharacter, formatCardNumber, isValidCardNumber, newCardNumber } from './card.ts';
export { expirePoints } from './expiry.ts';
export {
  DEFAULT_PROGRAM,
  type LoyaltyProgram,
  loyaltyProgram,
  pointsFor,
  saveProgram,
  type Tier,
  tierFor,
} from './program.ts';
export { type RedeemInput, redeemPoints, releaseRedemption } from './redeem.ts';
export {
  type AccountRow,
  type EntryKind,
  type EntryRow,
  entriesOf,
  getAccount,
  ledgerMismatches,
  recomputeBalance,
} from './repo.ts';
export {
  accountView,
  adjustPoints,
  customerByCard,
  earnForOrder,
  enroll,
  ensureAccount,
  entryToApi,
  loyaltyBalance,
  post as postPoints,
  reverseForReturn,
  tierStatus,
} from './service.ts';
export { allEntriesOf, closeAccount, dropEmptyAccount, moveEntries, settleBalances } from './transfer.ts';

export const loyaltyModule: PlazaModule = {
  name: 'loyalty',
  tags: [
    { name: 'loyalty', description: 'Loyalty program, accounts, points and redemptions' },
    { name: 'store: loyalty', description: 'My loyalty card, balance and history' },
  ],
  adminRoutes: loyaltyRoutes.admin,
  storeRoutes: loyaltyRoutes.store,
  jobs: (deps) => [expirySweeper(deps)],
};
export { personalData } from './personal-data.ts';
