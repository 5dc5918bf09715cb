/** Privacy: the register of data-subject requests (export, restrict, lift restriction, erase) with deadlines. */
import type { PlazaModule } from '../../platform/module.ts';
import { privacyRoutes } from './routes.ts';

export {
  getRequest,
  listRequests,
  REQUEST_KINDS,
  type RequestKind,
  type RequestRow,
  requestToApi,
  scrubRequestsOf,
} from './repo.ts';
export { ExportDocument, PrivacyRequest } from './routes.ts';
export { closeRequest, fileRequest, requestMachine } from './service.ts';

export const privacyModule: PlazaModule = {
  name: 'privacy',
  tags: [
    { name: 'privacy', description: 'Data-subject requests and their deadlines' },
    { name: 'store: privacy', description: 'My data requests: export, restriction, erasure' },
  ],
  adminRoutes: privacyRoutes.admin,
  storeRoutes: privacyRoutes.store,
};
