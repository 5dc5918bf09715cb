/** /admin/computed-traits (definitions and values) and /admin/segments/:id/sizes (sizes over time). */
import { type Static, Type } from '@sinclair/typebox';
import { notFound } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import {
  decodeCursor,
  encodeCursor,
  Id,
  IdParams,
  Name,
  Nullable,
  Obj,
  Page,
  PageQuery,
  Str,
  Timestamp,
} from '../../platform/http/schemas.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { ComputedTraitDefinition, traitDefault } from './computed-traits.ts';
import * as repo from './computed-traits-repo.ts';

const security = [{ adminToken: [] }];
const tags = ['segments'];

const ComputedTrait = Type.Object(
  {
    id: Type.String(),
    key: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    definition: ComputedTraitDefinition,
    default_value: Type.Unknown({ description: 'The value of a customer without a stored value' }),
    last_full_at: Nullable(Timestamp),
    created_at: Timestamp,
    updated_at: Timestamp,
    archived_at: Nullable(Timestamp),
  },
  { $id: 'ComputedTrait' },
);
type ComputedTrait = Static<typeof ComputedTrait>;

const TraitKey = Str({
  min: 1,
  max: 64,
  pattern: '^[a-z][a-z0-9_]*$',
  description: 'Stable name used by segment rules (`computedTrait.key`)',
});

const CreateBody = Obj({
  key: TraitKey,
  name: Name(),
  description: Type.Optional(Nullable(Str({ max: 1000 }))),
  definition: ComputedTraitDefinition,
});
const UpdateBody = Obj(
  {
    name: Type.Optional(Name()),
    description: Type.Optional(Nullable(Str({ max: 1000 }))),
    definition: Type.Optional(ComputedTraitDefinition),
  },
  { minProperties: 1 },
);

const TraitValue = Type.Object(
  { customer_id: Type.String(), value: Type.Unknown(), computed_at: Timestamp },
  { $id: 'ComputedTraitValue' },
);

const SegmentSize = Type.Object({ at: Timestamp, size: Type.Integer() }, { $id: 'SegmentSize' });

const toApi = (r: repo.ComputedTraitRow): ComputedTrait => ({
  id: r.id,
  key: r.key,
  name: r.name,
  description: r.description,
  definition: r.definition,
  default_value: traitDefault(r.definition.kind),
  last_full_at: r.last_full_at?.toISOString() ?? null,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  archived_at: r.archived_at?.toISOString() ?? null,
});

export const computedTraitRoutes = (app: HttpApp, deps: Deps): void => {
  app.get(
    '/computed-traits',
    {
      schema: {
        operationId: 'listAdminComputedTraits',
        tags,
        security,
        summary: 'List computed traits (archived ones with archived=true)',
        querystring: Obj({ archived: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: Type.Object({ data: Type.Array(ComputedTrait) }) },
      },
    },
    async (req) => ({ data: (await repo.listTraits(deps.db, req.query.archived ?? false)).map(toApi) }),
  );

  app.post(
    '/computed-traits',
    {
      schema: {
        operationId: 'createAdminComputedTrait',
        problems: ['ALREADY_EXISTS'],
        tags,
        security,
        summary: 'Define a computed trait (computed for every customer within seconds, then kept current)',
        body: CreateBody,
        response: { 201: ComputedTrait },
      },
    },
    async (req, reply) => {
      const now = deps.clock.now();
      const row = await deps.db.tx((tx) =>
        repo.insertTrait(tx, {
          id: newId('ctr'),
          key: req.body.key,
          name: req.body.name,
          description: req.body.description ?? null,
          definition: req.body.definition,
          created_at: now,
          updated_at: now,
          last_full_at: null,
          archived_at: null,
        }),
      );
      return reply.code(201).send(toApi(row));
    },
  );

  app.get(
    '/computed-traits/:id',
    {
      schema: {
        operationId: 'getAdminComputedTrait',
        tags,
        security,
        summary: 'Get a computed trait',
        params: IdParams('ctr'),
        response: { 200: ComputedTrait },
      },
    },
    async (req) => {
      const row = await repo.getTrait(deps.db, req.params.id);
      if (!row) throw notFound('computed trait', req.params.id);
      return toApi(row);
    },
  );

  app.patch(
    '/computed-traits/:id',
    {
      schema: {
        operationId: 'updateAdminComputedTrait',
        tags,
        security,
        summary: 'Change a computed trait (a new definition is computed again for everyone)',
        description: 'The key cannot change: segment rules refer to it.',
        params: IdParams('ctr'),
        body: UpdateBody,
        response: { 200: ComputedTrait },
      },
    },
    async (req) => {
      const row = await deps.db.tx((tx) => repo.updateTrait(tx, req.params.id, req.body, deps.clock.now()));
      if (!row) throw notFound('computed trait', req.params.id);
      return toApi(row);
    },
  );

  app.post(
    '/computed-traits/:id/archive',
    {
      schema: {
        operationId: 'archiveAdminComputedTrait',
        tags,
        security,
        summary: 'Archive a computed trait: its values are forgotten and its key is free again',
        params: IdParams('ctr'),
        response: { 200: ComputedTrait },
      },
    },
    async (req) => {
      const row = await deps.db.tx((tx) => repo.archiveTrait(tx, req.params.id, deps.clock.now()));
      if (!row) throw notFound('computed trait', req.params.id);
      return toApi(row);
    },
  );

  app.get(
    '/computed-traits/:id/values',
    {
      schema: {
        operationId: 'listAdminComputedTraitValues',
        tags,
        security,
        summary: "The customers' stored values (customers without one have the default value)",
        params: IdParams('ctr'),
        querystring: Obj(PageQuery),
        response: { 200: Page(TraitValue) },
      },
    },
    async (req) => {
      if (!(await repo.getTrait(deps.db, req.params.id))) throw notFound('computed trait', req.params.id);
      const after = decodeCursor(req.query.cursor)?.[0];
      const { rows } = await deps.db.query<{ customer_id: string; value: unknown; computed_at: Date }>(
        `SELECT customer_id, value, computed_at FROM customer_computed_traits
         WHERE trait_id = $1 AND ($2::text IS NULL OR customer_id > $2) ORDER BY customer_id LIMIT $3`,
        [req.params.id, typeof after === 'string' ? after : null, req.query.limit + 1],
      );
      const page = rows.slice(0, req.query.limit);
      const last = page.at(-1);
      return {
        data: page.map((r) => ({ ...r, computed_at: r.computed_at.toISOString() })),
        next_cursor: rows.length > req.query.limit && last ? encodeCursor([last.customer_id]) : null,
      };
    },
  );

  app.get(
    '/segments/:id/sizes',
    {
      schema: {
        operationId: 'listAdminSegmentSizes',
        tags,
        security,
        summary: 'Sizes of a segment over time (one point per full evaluation: hourly, or when it changed)',
        params: Obj({ id: Id('seg') }),
        querystring: Obj({
          since: Type.Optional(Timestamp),
          limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
        }),
        response: { 200: Type.Object({ data: Type.Array(SegmentSize), size: Type.Integer() }) },
      },
    },
    async (req) => {
      const seg = (
        await deps.db.query<{ size: number }>('SELECT size FROM segments WHERE id = $1', [req.params.id])
      ).rows[0];
      if (!seg) throw notFound('segment', req.params.id);
      const { rows } = await deps.db.query<{ at: Date; size: number }>(
        `SELECT at, size FROM (
           SELECT at, size FROM segment_sizes WHERE segment_id = $1 AND ($2::timestamptz IS NULL OR at >= $2)
           ORDER BY at DESC LIMIT $3) s ORDER BY at`,
        [req.params.id, req.query.since ?? null, req.query.limit],
      );
      return { data: rows.map((r) => ({ at: r.at.toISOString(), size: r.size })), size: seg.size };
    },
  );
};
