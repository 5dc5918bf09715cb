/** Staff accounts: people log into the console and the POS with e-mail and password (cookie sessions). */
import type { AuthResolvers } from '../../platform/http/auth.ts';
import type { Deps, PlazaModule } from '../../platform/module.ts';
import { staffAdminRoutes } from './routes.ts';
import { staffAuthRoutes } from './routes-auth.ts';
import { resolveSession, sweepJob } from './sessions.ts';

export { personalData } from './personal-data.ts';
export { userByEmail } from './repo.ts';
export { acceptUrl, linkForUser, ownerLink } from './service.ts';
export { SESSION_IDLE_MS, SESSION_MAX_MS } from './sessions.ts';

/** The /admin hook's resolver of the session cookie. */
export const staffSessionResolver =
  (deps: Pick<Deps, 'db' | 'clock'>): NonNullable<AuthResolvers['staffSession']> =>
  async (token) => {
    const s = await resolveSession(deps, token);
    return s ? { principal: s.principal, csrfToken: s.csrfToken } : null;
  };

export const staffModule: PlazaModule = {
  name: 'staff',
  tags: [
    {
      name: 'staff: auth',
      description: 'Staff log-in to the console and the POS: cookie sessions, one-time links',
    },
    { name: 'staff', description: 'Staff accounts: invitations, roles, store locations' },
  ],
  jobs: (deps) => [sweepJob(deps)],
  adminRoutes: (app, deps) => {
    staffAuthRoutes(app, deps);
    staffAdminRoutes(app, deps);
  },
};
