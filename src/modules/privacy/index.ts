/** Privacy: the register of data-subject requests (export, restrict, lift restriction, erase) with deadlines. */
import type { PlazaModule } from '../../platform/module.ts';
import { rateLimitPurgeJob } from '../../platform/rate-limit.ts';
import { idempotencyRetentionJob } from '../../platform/retention.ts';
import { privacyRoutes } from './routes.ts';
import { exportExpiryJob } from './service.ts';

export { EXPORT_FORMAT, EXPORT_VERSION, ExportDocument } from './export-schema.ts';
export {
  EXPORT_TTL_MS,
  getRequest,
  listRequests,
  REQUEST_KINDS,
  type RequestKind,
  type RequestRow,
  requestToApi,
  setBalanceDecision,
} from './repo.ts';
export { PrivacyRequest } from './routes.ts';
export { closeRequest, exportExpiryJob, fileRequest, requestMachine } from './service.ts';

export const privacyModule: PlazaModule = {
  name: 'privacy',
  tags: [
    { name: 'privacy', description: 'Data-subject requests and their deadlines' },
    { name: 'store: privacy', description: 'My data requests: export, restriction, erasure' },
  ],
  adminRoutes: privacyRoutes.admin,
  storeRoutes: privacyRoutes.store,
  // Retention: export documents after 7 days, idempotency records (which repeat answers) after 24 hours,
  // rate-limit counters (keyed hashes of IPs and e-mails) once their window has ended.
  jobs: (deps) => [exportExpiryJob(deps), idempotencyRetentionJob(deps), rateLimitPurgeJob(deps)],
};
export { personalData } from './personal-data.ts';
