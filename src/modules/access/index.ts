/** Access: admin and staff tokens for /admin. */
import type { PlazaModule } from '../../platform/module.ts';
import { accessAdminRoutes } from './routes.ts';

export { getToken, type TokenRow } from './repo.ts';
export { adminTokenResolver, createToken, ensureBootstrapToken, revokeToken } from './service.ts';

export const accessModule: PlazaModule = {
  name: 'access',
  tags: [{ name: 'tokens', description: 'Admin and staff tokens for /admin' }],
  adminRoutes: accessAdminRoutes,
};
export { personalData } from './personal-data.ts';
