/** HTTP for reservations: for integrators and operations; checkout and POS call the service directly. */
import { PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { requireAdmin } from '../../platform/http/auth.ts';
import { cursorId, Page, toPage } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { reservationToApi } from './api.ts';
import { commitReservation, releaseReservation, reserve } from './reservations.ts';
import * as repo from './reservations-repo.ts';
import { security, tags } from './routes.ts';
import {
  ListReservationsQuery,
  OptionalBody,
  ReleaseBody,
  Reservation,
  ReservationParams,
  ReserveBody,
} from './schema.ts';

export const reservationRoutes = (app: HttpApp, deps: Deps): void => {
  app.post(
    '/inventory/reservations',
    {
      schema: {
        operationId: 'createAdminReservation',
        problems: ['INSUFFICIENT_STOCK'],
        tags,
        security,
        summary: 'Hold stock: all lines or none (409 INSUFFICIENT_STOCK with `available` otherwise)',
        body: ReserveBody,
        response: { 201: Reservation },
      },
    },
    async (req, reply) => {
      const actor = requireAdmin(req).tokenId;
      const { lines, reference, expires_in_seconds } = req.body;
      const expiresAt = expires_in_seconds
        ? new Date(deps.clock.now().getTime() + expires_in_seconds * 1000)
        : null;
      const result = await deps.db.tx((tx) =>
        reserve(tx, deps, { reference: reference ?? { type: 'admin', id: actor }, lines, expiresAt, actor }),
      );
      return reply.code(201).send(reservationToApi(unwrap(result)));
    },
  );

  app.get(
    '/inventory/reservations',
    {
      schema: {
        operationId: 'listAdminReservations',
        tags,
        security,
        summary: 'List reservations (by reference and status)',
        querystring: ListReservationsQuery,
        response: { 200: Page(Reservation) },
      },
    },
    async (req) => {
      const { limit, cursor, reference_type, reference_id, status } = req.query;
      const rows = await repo.listReservations(deps.db, {
        reference: reference_type && reference_id ? { type: reference_type, id: reference_id } : undefined,
        status,
        after: cursorId(cursor),
        limit: limit + 1,
      });
      return toPage(rows, limit, reservationToApi);
    },
  );

  app.get(
    '/inventory/reservations/:id',
    {
      schema: {
        operationId: 'getAdminReservation',
        tags,
        security,
        summary: 'Get a reservation',
        params: ReservationParams,
        response: { 200: Reservation },
      },
    },
    async (req) => {
      const r = await repo.getReservation(deps.db, req.params.id);
      if (!r)
        throw new PlazaError('NOT_FOUND', `Reservation ${req.params.id} was not found`, {
          id: req.params.id,
        });
      return reservationToApi(r);
    },
  );

  app.post(
    '/inventory/reservations/:id/release',
    {
      schema: {
        operationId: 'releaseAdminReservation',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Release a hold (idempotent; a committed reservation cannot be released)',
        params: ReservationParams,
        body: OptionalBody(ReleaseBody),
        response: { 200: Reservation },
      },
    },
    async (req) => {
      const actor = requireAdmin(req).tokenId;
      const reason = req.body?.reason ?? null;
      const r = await deps.db.tx((tx) => releaseReservation(tx, deps, req.params.id, { reason, actor }));
      return reservationToApi(unwrap(r));
    },
  );

  app.post(
    '/inventory/reservations/:id/commit',
    {
      schema: {
        operationId: 'commitAdminReservation',
        problems: ['INVALID_STATE_TRANSITION'],
        tags,
        security,
        summary: 'Commit a hold: the units are sold (idempotent)',
        params: ReservationParams,
        response: { 200: Reservation },
      },
    },
    async (req) => {
      const actor = requireAdmin(req).tokenId;
      const r = await deps.db.tx((tx) => commitReservation(tx, deps, req.params.id, { actor }));
      return reservationToApi(unwrap(r));
    },
  );
};
