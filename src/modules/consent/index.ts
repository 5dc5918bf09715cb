/** Consent: a ledger of what each customer agreed to, per purpose and contact channel, with proofs. */
import type { PlazaModule } from '../../platform/module.ts';
import { consentAdminRoutes, consentStoreRoutes } from './routes.ts';

export { canContactMany, currentConsentStatuses, currentConsentStatusesByChannel } from './bulk.ts';
export {
  type ConsentRow,
  consentHistory,
  consentToApi,
  currentConsents,
  insertConsent,
  moveConsentRecords,
} from './repo.ts';
export {
  CONTACT_CHANNELS,
  type ConsentStatus,
  type ContactChannel,
  PURPOSES,
  type Purpose,
} from './schema.ts';
export {
  type ContactQuestion,
  type ContactReason,
  canContact,
  confirmConsent,
  consentStates,
  needsDoubleOptIn,
  processingAllowed,
  recordConsent,
  unsubscribe,
  unsubscribeSigner,
  unsubscribeToken,
} from './service.ts';

export const consentModule: PlazaModule = {
  name: 'consent',
  tags: [
    { name: 'consent', description: 'Consent ledger, current state and proofs' },
    { name: 'store: consent', description: 'Consent choices, double opt-in and one-click unsubscribe' },
  ],
  adminRoutes: consentAdminRoutes,
  storeRoutes: consentStoreRoutes,
};
export { personalData } from './personal-data.ts';
