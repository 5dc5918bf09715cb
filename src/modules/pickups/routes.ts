import { Type } from '@sinclair/typebox';
import type { HttpApp } from '../../platform/http/app.ts';
import { assertLocationAccess } from '../../platform/http/auth.ts';
import { IdParams } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { getLocationOrThrow } from '../locations/index.ts';
import { queueCounts } from './repo.ts';
import { StoreSettings, StoreSettingsPatch, storeSettings, updateStoreSettings } from './settings.ts';

export const pickupSettingsRoutes = (app: HttpApp, deps: Deps): void => {
  const tags = ['pickups'];
  const security = [{ adminToken: [] }];
  app.get(
    '/locations/:id/pickup-settings',
    {
      config: { staff: true },
      schema: {
        operationId: 'getAdminPickupSettings',
        tags,
        security,
        summary: "A store's click & collect settings (hold days, reminder lead time)",
        params: IdParams('loc'),
        response: { 200: StoreSettings },
      },
    },
    async (req) => {
      assertLocationAccess(req, req.params.id);
      await getLocationOrThrow(deps.db, req.params.id);
      return storeSettings(deps.db, req.params.id);
    },
  );

  app.patch(
    '/locations/:id/pickup-settings',
    {
      config: { staff: true },
      schema: {
        operationId: 'updateAdminPickupSettings',
        tags,
        security,
        summary: "Change a store's click & collect settings (staff: their own store)",
        description: 'Applies to orders marked ready from now on; orders already ready keep their deadline.',
        params: IdParams('loc'),
        body: StoreSettingsPatch,
        response: { 200: StoreSettings },
      },
    },
    async (req) => {
      assertLocationAccess(req, req.params.id);
      return deps.db.tx(async (tx) => {
        await getLocationOrThrow(tx, req.params.id);
        return updateStoreSettings(tx, deps, req.params.id, req.body);
      });
    },
  );

  app.get(
    '/locations/:id/pickups/counts',
    {
      config: { staff: true },
      schema: {
        operationId: 'countAdminLocationPickups',
        tags,
        security,
        summary: "How many pickups a store's open queues hold (the tabs of its pickup queue)",
        description:
          'The same queues as GET /admin/locations/:id/pickups?status=…; `to_prepare` includes `overdue`.',
        params: IdParams('loc'),
        response: {
          200: Type.Object(
            {
              to_prepare: Type.Integer({ minimum: 0 }),
              overdue: Type.Integer({ minimum: 0 }),
              ready: Type.Integer({ minimum: 0 }),
            },
            { $id: 'PickupQueueCounts' },
          ),
        },
      },
    },
    async (req) => {
      assertLocationAccess(req, req.params.id);
      await getLocationOrThrow(deps.db, req.params.id);
      return queueCounts(deps.db, { locationIds: [req.params.id], now: deps.clock.now() });
    },
  );
};
