/** Customers: accounts, sessions, profiles, identities, addresses, lookup and erasure suppression. */
import type { PlazaModule } from '../../platform/module.ts';
import { customerStoreRoutes } from './routes.ts';
import { customerAdminRoutes } from './routes-admin.ts';

export { Address, type AddressRow, addressesOf } from './addresses.ts';
export { ANONYMOUS_ID_HEADER, anonymousIdOf, checkAnonymousId } from './anonymous.ts';
export { type ContactProfile, contactProfiles, suppressedAmong } from './bulk.ts';
export { counterOf, type PhoneContext, phoneCountry } from './country.ts';
export { type ErasedRecord, eraseCustomerRecord } from './erase.ts';
export {
  getIdentity,
  type IdentityKind,
  type IdentityRow,
  identitiesOf,
  identityToApi,
  linkIdentity,
  normalizeCardNumber,
  normalizeIdentity,
} from './identities.ts';
export { findCustomerByIdentity, type IdentityMatch, identityCandidates, survivorOf } from './lookup.ts';
export {
  channelSightings,
  liveSessionIds,
  moveAddress,
  moveIdentity,
  sessionsOf,
  setMerged,
  withMergedAliases,
} from './ownership.ts';
export { normalizePhone } from './phone.ts';
export {
  adminCustomerViews,
  createCustomer,
  lockActiveCustomer,
  profileViews,
  setProcessingRestricted,
  updateProfile,
} from './profile.ts';
export type { CustomerRow, CustomerStatus, ProfilePatch } from './repo.ts';
export {
  CUSTOMER_COLUMNS,
  customerToApi,
  findByEmail,
  getCustomer,
  getCustomerForUpdate,
  getCustomers,
  normalizeEmail,
  revokeSessionsOf,
  updateCustomer,
} from './repo.ts';
export { Customer, LoginBody, Session } from './schema.ts';
export { AdminCustomer, CustomerProfile, Identity } from './schema-profile.ts';
export {
  customerTokenResolver,
  getCustomerOrThrow,
  linkAnonymousId,
  login,
  logout,
  register,
} from './service.ts';
export { isSuppressed, loginThrottleHash, suppress, suppressionHash } from './suppression.ts';
export { forgetLoginFailures, reserveLoginAttempt, THROTTLE } from './throttle.ts';

export const customersModule: PlazaModule = {
  name: 'customers',
  tags: [
    { name: 'store: customers', description: 'Customer accounts, login and profile on /store' },
    { name: 'customers', description: 'Customer profiles, identities and lookup' },
  ],
  adminRoutes: customerAdminRoutes,
  storeRoutes: customerStoreRoutes,
};
export { personalData } from './personal-data.ts';
export { assertProcessing, checkProcessing, type ProcessingUse, RESTRICTION_MATRIX } from './restriction.ts';
