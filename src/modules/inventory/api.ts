/** Rows and domain objects as the HTTP API shows them. */
import type { Static } from '@sinclair/typebox';
import type { LevelRow, MovementRow } from './repo.ts';
import type { Reservation } from './reservations-repo.ts';
import type {
  Level,
  Movement,
  Reservation as ReservationSchema,
  Transfer as TransferSchema,
} from './schema.ts';
import { inTransit } from './transfers.ts';
import type { Transfer } from './transfers-repo.ts';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export const levelToApi = (r: LevelRow): Level => ({
  sku: r.sku,
  location_id: r.location_id,
  on_hand: r.on_hand,
  reserved: r.reserved,
  safety_stock: r.safety_stock,
  available: r.available,
  incoming: r.incoming,
  low_stock_threshold: r.low_stock_threshold,
  low_stock: r.low_stock,
  updated_at: r.updated_at.toISOString(),
});

export const movementToApi = (r: MovementRow): Static<typeof Movement> => ({
  ...r,
  created_at: r.created_at.toISOString(),
});

export const reservationToApi = (r: Reservation): Static<typeof ReservationSchema> => ({
  id: r.id,
  reference: r.reference,
  status: r.status,
  expires_at: iso(r.expires_at),
  actor: r.actor,
  lines: r.lines,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export const transferToApi = (t: Transfer): Static<typeof TransferSchema> => {
  const lines = t.lines.map((l) => ({ ...l, in_transit: inTransit(t, l) }));
  return {
    ...t,
    lines,
    in_transit: lines.reduce((n, l) => n + l.in_transit, 0),
    created_at: t.created_at.toISOString(),
    updated_at: t.updated_at.toISOString(),
    shipped_at: iso(t.shipped_at),
    received_at: iso(t.received_at),
    cancelled_at: iso(t.cancelled_at),
  };
};
