/** Reports across modules for the console: the dashboard (sales, buyers, pickups, low stock). */
import type { PlazaModule } from '../../platform/module.ts';
import { reportRoutes } from './routes.ts';

export { type DashboardInput, dashboard } from './dashboard.ts';
export { localDays } from './sales.ts';

export const reportsFlow: PlazaModule = {
  name: 'reports',
  tags: [
    {
      name: 'reports',
      description:
        'Figures for the console: sales, orders and buyers per channel and day, pickups, low stock',
    },
  ],
  adminRoutes: reportRoutes,
};
