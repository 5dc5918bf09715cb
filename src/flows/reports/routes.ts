import { getLocation, isTimezone } from '../../modules/locations/index.ts';
import { notFound, validation } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { assertLocationAccess, requireAdmin } from '../../platform/http/auth.ts';
import type { Deps } from '../../platform/module.ts';
import { dashboard } from './dashboard.ts';
import { Dashboard, DashboardQuery } from './schema.ts';

export const reportRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/reports/dashboard',
    {
      config: { staff: true },
      schema: {
        operationId: 'getAdminDashboard',
        problems: ['NOT_FOUND'],
        tags: ['reports'],
        security: [{ adminToken: [] }],
        summary: "Today's and the last N days' sales, orders and buyers per channel, pickups due, low stock",
        description:
          'Admins see every location (or one with `location_id`); staff see their own locations, and a ' +
          '`location_id` of another location is FORBIDDEN. Days are counted in `time_zone`. Net revenue = ' +
          'order totals of sales (not cancelled, expired or awaiting payment) − refunds made that day, per ' +
          'currency, in minor units. See docs/reports.md.',
        querystring: DashboardQuery,
        response: { 200: Dashboard },
      },
    },
    async (req) => {
      const q = req.query;
      const admin = requireAdmin(req);
      if (q.location_id) assertLocationAccess(req, q.location_id);
      const locationIds = q.location_id
        ? [q.location_id]
        : admin.scope === 'staff'
          ? admin.locationIds
          : undefined;
      let timeZone = q.time_zone ?? 'UTC';
      if (q.location_id) {
        const location = await getLocation(deps.db, q.location_id);
        if (!location) throw notFound('Location', q.location_id);
        timeZone = q.time_zone ?? location.timezone;
      }
      if (!isTimezone(timeZone)) {
        throw validation('time_zone is not an IANA time zone', [
          { path: 'querystring.time_zone', message: 'is not an IANA time zone' },
        ]);
      }
      return dashboard(deps, { days: q.days, timeZone, locationIds, lowStockLimit: q.low_stock_limit });
    },
  );
};
