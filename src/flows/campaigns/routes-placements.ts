/** /admin/placements: the banner and in-app slots of the shop and the app view. */
import { Type } from '@sinclair/typebox';
import { pgCode } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { Name, Nullable, Obj, Str, Timestamp } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { listPlacements, type PlacementRow } from './placements.ts';
import { Slot } from './routes-placements-store.ts';

const tags = ['campaigns'];
const security = [{ adminToken: [] }];

const Surface = Type.Union([Type.Literal('web'), Type.Literal('app'), Type.Literal('any')]);
export const Placement = Type.Object(
  {
    slot: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    surface: Surface,
    created_at: Timestamp,
  },
  { $id: 'Placement' },
);

const toApi = (r: PlacementRow) => ({ ...r, created_at: r.created_at.toISOString() });

export const placementAdminRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/placements',
    {
      schema: {
        operationId: 'listPlacements',
        tags,
        security,
        summary: 'Banner and in-app slots (a campaign puts content in one with content.banner.slot)',
        response: { 200: Type.Object({ data: Type.Array(Placement) }) },
      },
    },
    async () => ({ data: (await listPlacements(deps.db)).map(toApi) }),
  );

  app.post(
    '/placements',
    {
      schema: {
        operationId: 'createPlacement',
        tags,
        security,
        problems: ['ALREADY_EXISTS'],
        summary: 'Add a slot to the shop or the app view',
        body: Obj({
          slot: Slot,
          name: Name(200),
          description: Type.Optional(Nullable(Str({ max: 1000 }))),
          surface: Type.Optional(Surface),
        }),
        response: { 201: Placement },
      },
    },
    async (req, reply) => {
      try {
        const { rows } = await deps.db.query<PlacementRow>(
          `INSERT INTO placements (slot, name, description, surface, created_at) VALUES ($1, $2, $3, $4, $5)
           RETURNING slot, name, description, surface, created_at`,
          [
            req.body.slot,
            req.body.name,
            req.body.description ?? null,
            req.body.surface ?? 'any',
            deps.clock.now(),
          ],
        );
        return reply.code(201).send(toApi(rows[0] as PlacementRow));
      } catch (e) {
        if (pgCode(e) === '23505')
          throw new PlazaError('ALREADY_EXISTS', `The slot ${req.body.slot} already exists`);
        throw e;
      }
    },
  );
};
