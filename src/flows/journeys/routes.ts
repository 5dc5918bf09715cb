/**
 * /admin/journeys: automations (docs/campaigns.md, "Journeys"). Edits change the draft; publishing
 * makes it a new version that new entries get, while runs in flight finish on the version they began.
 */
import { notFound, PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { cursorId, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import * as repo from './repo.ts';
import {
  CreateJourneyBody,
  type Definition,
  Enrollment,
  EnrollmentsQuery,
  Journey,
  JourneyDetail,
  JourneyParams,
  JourneysQuery,
  UpdateJourneyBody,
} from './schema.ts';
import { readyMade } from './templates.ts';
import { assertDefinition, assertSegments } from './validate.ts';

const tags = ['journeys'];
const security = [{ adminToken: [] }];

const BLANK: Definition = {
  trigger: { type: 'event', event: 'Product Viewed' },
  steps: [{ key: 'exit', type: 'exit' }],
  exit_on: null,
};

export const journeyRoutes = (app: HttpApp, deps: Deps): void => {
  const detail = async (id: string) => {
    const j = await repo.getJourney(deps.db, id);
    if (!j) throw notFound('Journey', id);
    const [versions, enrollments] = await Promise.all([
      repo.versionsOf(deps.db, id),
      repo.enrollmentCounts(deps.db, id),
    ]);
    return { ...repo.journeyToApi(j), versions: versions.map(repo.versionToApi), enrollments };
  };

  /** Changes a journey's status inside a transaction, refusing the moves its state does not allow. */
  const move = async (id: string, allowed: readonly repo.JourneyStatus[], to: repo.JourneyStatus) => {
    await deps.db.tx(async (tx) => {
      const j = await repo.getJourney(tx, id, true);
      if (!j) throw notFound('Journey', id);
      if (j.status === to) return;
      if (!allowed.includes(j.status))
        throw new PlazaError('INVALID_STATE_TRANSITION', `A ${j.status} journey cannot become ${to}`, {
          status: j.status,
        });
      const now = deps.clock.now();
      await repo.updateJourney(tx, id, { status: to }, now);
      if (to === 'archived') await repo.exitAll(tx, id, 'archived', now);
    });
    return detail(id);
  };

  const ops = [
    [
      'pause',
      'pauseJourney',
      'Pause: no one enters and runs in flight wait where they are',
      ['active'],
      'paused',
    ],
    [
      'resume',
      'resumeJourney',
      'Resume a paused journey: runs continue where they stopped',
      ['paused'],
      'active',
    ],
    [
      'archive',
      'archiveJourney',
      'Archive: no one enters any more and runs in flight end (exit_reason archived)',
      ['draft', 'active', 'paused'],
      'archived',
    ],
  ] as const;

  app.post(
    '/journeys',
    {
      schema: {
        operationId: 'createJourney',
        tags,
        security,
        problems: ['TEMPLATE_INVALID', 'AUDIENCE_UNAVAILABLE'],
        summary: 'Create a journey as a draft: blank, from a definition, or from a ready-made template',
        body: CreateJourneyBody,
        response: { 201: JourneyDetail },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const made = b.template ? readyMade(b.template, b.params) : undefined;
      const draft = b.definition ?? made?.definition ?? BLANK;
      assertDefinition(draft);
      await assertSegments(deps.db, draft);
      const row = await deps.db.tx((tx) =>
        repo.insertJourney(
          tx,
          {
            name: b.name ?? made?.name ?? 'Untitled journey',
            kind: b.kind ?? made?.kind ?? 'marketing',
            template: b.template ?? null,
            draft,
          },
          deps.clock.now(),
        ),
      );
      return reply.code(201).send(await detail(row.id));
    },
  );

  app.get(
    '/journeys',
    {
      schema: {
        operationId: 'listJourneys',
        tags,
        security,
        summary: 'Journeys by id (all, or those of one status)',
        querystring: JourneysQuery,
        response: { 200: Page(Journey) },
      },
    },
    async (req) => {
      const { limit, cursor, status } = req.query;
      const rows = await repo.listJourneys(deps.db, { status, after: cursorId(cursor), limit: limit + 1 });
      return toPage(rows, limit, repo.journeyToApi);
    },
  );

  app.get(
    '/journeys/:id',
    {
      schema: {
        operationId: 'getJourney',
        tags,
        security,
        summary: 'One journey with its published versions and its entries counted by state',
        params: JourneyParams,
        response: { 200: JourneyDetail },
      },
    },
    async (req) => detail(req.params.id),
  );

  app.patch(
    '/journeys/:id',
    {
      schema: {
        operationId: 'updateJourney',
        tags,
        security,
        problems: ['TEMPLATE_INVALID', 'AUDIENCE_UNAVAILABLE', 'INVALID_STATE_TRANSITION'],
        summary: 'Change the name, kind or draft definition (published versions never change)',
        params: JourneyParams,
        body: UpdateJourneyBody,
        response: { 200: JourneyDetail },
      },
    },
    async (req) => {
      const { definition, name, kind } = req.body;
      if (definition) {
        assertDefinition(definition);
        await assertSegments(deps.db, definition);
      }
      await deps.db.tx(async (tx) => {
        const j = await repo.getJourney(tx, req.params.id, true);
        if (!j) throw notFound('Journey', req.params.id);
        if (j.status === 'archived')
          throw new PlazaError('INVALID_STATE_TRANSITION', 'An archived journey cannot change', {
            status: j.status,
          });
        await repo.updateJourney(tx, j.id, { name, kind, draft: definition }, deps.clock.now());
      });
      return detail(req.params.id);
    },
  );

  app.post(
    '/journeys/:id/publish',
    {
      schema: {
        operationId: 'publishJourney',
        tags,
        security,
        problems: ['TEMPLATE_INVALID', 'AUDIENCE_UNAVAILABLE', 'INVALID_STATE_TRANSITION'],
        summary:
          'Publish the draft as the next version: new entries get it, runs in flight keep their version; a draft journey becomes active',
        params: JourneyParams,
        response: { 200: JourneyDetail },
      },
    },
    async (req) => {
      await deps.db.tx(async (tx) => {
        const j = await repo.getJourney(tx, req.params.id, true);
        if (!j) throw notFound('Journey', req.params.id);
        if (j.status === 'archived' || !j.draft)
          throw new PlazaError(
            'INVALID_STATE_TRANSITION',
            'Only a journey with a draft that is not archived can be published',
            {
              status: j.status,
            },
          );
        assertDefinition(j.draft);
        await assertSegments(tx, j.draft);
        const now = deps.clock.now();
        const version = await repo.insertVersion(tx, j.id, j.draft, now);
        await repo.updateJourney(
          tx,
          j.id,
          { current_version: version, status: j.status === 'draft' ? 'active' : j.status },
          now,
        );
      });
      return detail(req.params.id);
    },
  );

  for (const [path, operationId, summary, allowed, to] of ops) {
    app.post(
      `/journeys/:id/${path}`,
      {
        schema: {
          operationId,
          tags,
          security,
          problems: ['INVALID_STATE_TRANSITION'],
          summary,
          params: JourneyParams,
          response: { 200: JourneyDetail },
        },
      },
      async (req) => move(req.params.id, allowed, to),
    );
  }

  app.get(
    '/journeys/:id/enrollments',
    {
      schema: {
        operationId: 'listJourneyEnrollments',
        tags,
        security,
        summary: 'Entries of a journey by id (optionally of one state)',
        params: JourneyParams,
        querystring: EnrollmentsQuery,
        response: { 200: Page(Enrollment) },
      },
    },
    async (req) => {
      if (!(await repo.getJourney(deps.db, req.params.id))) throw notFound('Journey', req.params.id);
      const { limit, cursor, state } = req.query;
      const rows = await repo.enrollmentsPage(deps.db, req.params.id, {
        state,
        after: cursorId(cursor),
        limit: limit + 1,
      });
      return toPage(rows, limit, repo.enrollmentToApi);
    },
  );
};
