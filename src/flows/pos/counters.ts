/**
 * `GET /admin/pos/counters`: the tills the caller may work, one per POS channel bound to a store the
 * caller can act for. A store's staff finds the channel to open sales on without the channel list
 * (which is for admins): the POS app shows these after login.
 */
import { Type } from '@sinclair/typebox';
import { listChannels } from '../../modules/channels/index.ts';
import { channelLocations } from '../../modules/locations/index.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { canAccessLocation, requireAdmin } from '../../platform/http/auth.ts';
import { Obj } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';

export const PosCounter = Obj(
  {
    channel_id: Type.String(),
    channel_name: Type.String(),
    currency: Type.String(),
    locale: Type.String(),
    location_id: Type.String(),
    location_name: Type.String(),
  },
  { $id: 'PosCounter', description: 'A POS channel and the store it sells from' },
);

export const counterRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/pos/counters',
    {
      config: { staff: true },
      schema: {
        operationId: 'listPosCounters',
        tags: ['pos'],
        security: [{ adminToken: [] }],
        summary: 'The POS channels (with their store) the caller may sell on; staff see their stores only',
        response: { 200: Obj({ data: Type.Array(PosCounter) }) },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const data: (typeof PosCounter.static)[] = [];
      for (let after: string | undefined; ; ) {
        const page = await listChannels(deps.db, { type: 'pos', after, limit: 100 });
        for (const c of page) {
          const store = (await channelLocations(deps.db, c.id)).find((l) => l.type === 'store');
          if (!store || !canAccessLocation(admin, store.id)) continue;
          data.push({
            channel_id: c.id,
            channel_name: c.name,
            currency: c.currency,
            locale: c.locale,
            location_id: store.id,
            location_name: store.name,
          });
        }
        if (page.length < 100) return { data };
        after = page.at(-1)?.id;
      }
    },
  );
};
