import { safeEqual } from '../../platform/crypto.ts';
import type { Tx } from '../../platform/db.ts';
import { randomCode } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { recordTransition } from '../../platform/state-machine.ts';
import { type PickupStatus, pickupMachine } from './machine.ts';
import * as repo from './repo.ts';

type Clocked = Pick<Deps, 'clock'>;

/** Pickup codes: 8 characters without look-alikes (no 0/O, 1/I/L), ~39 bits. */
export const PICKUP_CODE_LENGTH = 8;
/** Wrong codes in a row before the order is locked for handover, and for how long. */
export const MAX_CODE_ATTEMPTS = 5;
export const CODE_LOCK_MS = 15 * 60_000;

export const newPickupCode = (): string => randomCode(PICKUP_CODE_LENGTH);

/**
 * What the customer's QR code encodes: `plaza:pickup:<order number>:<code>`. Rendering the image
 * is the client's job (any QR library); a store scanner sends this string back as the code.
 */
export const qrPayload = (orderNumber: number, code: string): string => `plaza:pickup:${orderNumber}:${code}`;

const QR = /^plaza:pickup:(\d{1,18}):([A-Za-z0-9]{1,32})$/;

/**
 * The code in what staff typed or scanned: a bare code (case, spaces and dashes ignored) or a QR
 * payload, which must name this order. Undefined for a QR payload of another order.
 */
export const codeFromInput = (input: string, orderNumber: number): string | undefined => {
  const trimmed = input.trim();
  const qr = QR.exec(trimmed);
  if (qr) return Number(qr[1]) === orderNumber ? (qr[2] as string).toUpperCase() : undefined;
  return trimmed.replace(/[\s-]/g, '').toUpperCase();
};

/** The data every pickup event carries (the customer timeline reads order, customer, channel, location). */
export const pickupEventData = (p: repo.PickupRow) => ({
  order_id: p.order_id,
  order_number: p.order_number,
  customer_id: p.customer_id,
  channel_id: p.channel_id,
  location_id: p.location_id,
});

export interface NewPickup {
  order: { id: string; number: number; channel_id: string; customer_id: string | null };
  locationId: string;
  readyEstimateAt: Date | null;
  lines: { fulfillment_id: string; order_line_id: string; sku: string; quantity: number }[];
  actor: string;
}

/**
 * Opens the pickup of an order (to prepare) with a fresh code, once: a second call for the same
 * order returns the existing pickup and writes nothing.
 */
export const openPickup = async (
  tx: Tx,
  deps: Clocked,
  p: NewPickup,
): Promise<{ pickup: repo.PickupRow; created: boolean }> => {
  const now = deps.clock.now();
  const row = await repo.insertPickup(tx, {
    order_id: p.order.id,
    order_number: p.order.number,
    location_id: p.locationId,
    channel_id: p.order.channel_id,
    customer_id: p.order.customer_id,
    status: 'to_prepare',
    code: newPickupCode(),
    ready_estimate_at: p.readyEstimateAt,
    ready_at: null,
    deadline_at: null,
    reminder_at: null,
    reminded_at: null,
    closed_at: null,
    failed_attempts: 0,
    locked_until: null,
    created_at: now,
    updated_at: now,
  });
  if (!row) return { pickup: (await repo.getPickup(tx, p.order.id)) as repo.PickupRow, created: false };
  await repo.insertPickupLines(
    tx,
    p.lines.map((l) => ({ ...l, order_id: p.order.id })),
  );
  await recordTransition(tx, deps.clock, pickupMachine, {
    entityType: 'pickup',
    entityId: row.order_id,
    from: null,
    to: 'to_prepare',
    actor: p.actor,
    data: { location_id: row.location_id },
  });
  await writeEvent(tx, deps.clock, {
    type: 'pickup.created',
    aggregateType: 'order',
    aggregateId: row.order_id,
    data: { ...pickupEventData(row), ready_estimate_at: row.ready_estimate_at?.toISOString() ?? null },
  });
  return { pickup: row, created: true };
};

/**
 * Moves a pickup to `to` (checked against the pickup machine), records it and writes
 * `pickup.<event>` with the standard pickup data plus `data`.
 */
export const changePickup = async (
  tx: Tx,
  deps: Clocked,
  p: repo.PickupRow,
  to: PickupStatus,
  opts: {
    actor: string;
    reason?: string;
    patch?: repo.PickupPatch;
    event: string;
    data?: Record<string, unknown>;
  },
): Promise<repo.PickupRow> => {
  await recordTransition(tx, deps.clock, pickupMachine, {
    entityType: 'pickup',
    entityId: p.order_id,
    from: p.status,
    to,
    actor: opts.actor,
    reason: opts.reason ?? null,
    data: { location_id: p.location_id },
  });
  const now = deps.clock.now();
  const closing = to !== 'to_prepare' && to !== 'ready';
  const row = await repo.updatePickup(
    tx,
    p.order_id,
    { ...(opts.patch ?? {}), status: to, ...(closing ? { closed_at: now } : {}) },
    now,
  );
  await writeEvent(tx, deps.clock, {
    type: `pickup.${opts.event}`,
    aggregateType: 'order',
    aggregateId: p.order_id,
    data: { ...pickupEventData(row), status: to, reason: opts.reason ?? null, ...(opts.data ?? {}) },
  });
  return row;
};

/**
 * Checks a handover code. While the pickup is locked (too many wrong codes) every code, even the
 * right one, is RATE_LIMITED. A wrong code is counted in its own committed transaction (so the limit
 * holds across requests and processes) and answered PICKUP_CODE_INVALID with `attempts_left`.
 */
export const verifyPickupCode = async (
  deps: Pick<Deps, 'db' | 'clock'>,
  p: repo.PickupRow,
  input: string,
  actor: string,
): Promise<Result<true, 'PICKUP_CODE_INVALID' | 'RATE_LIMITED'>> => {
  const now = deps.clock.now();
  if (p.locked_until && p.locked_until > now) {
    const retry = Math.ceil((p.locked_until.getTime() - now.getTime()) / 1000);
    return fail('RATE_LIMITED', `Too many wrong pickup codes for order ${p.order_number}; try again later`, {
      retry_after_seconds: retry,
    });
  }
  const code = codeFromInput(input, p.order_number);
  if (code !== undefined && code.length === p.code.length && safeEqual(code, p.code)) {
    if (p.failed_attempts > 0 || p.locked_until)
      await deps.db.tx((tx) => repo.resetWrongCodes(tx, p.order_id));
    return ok(true);
  }
  const counted = await deps.db.tx(async (tx) => {
    const c = await repo.countWrongCode(
      tx,
      p.order_id,
      MAX_CODE_ATTEMPTS,
      new Date(now.getTime() + CODE_LOCK_MS),
      now,
    );
    await writeEvent(tx, deps.clock, {
      type: 'pickup.code_rejected',
      aggregateType: 'order',
      aggregateId: p.order_id,
      data: { ...pickupEventData(p), actor, locked: Boolean(c?.locked_until && c.locked_until > now) },
    });
    return c;
  });
  const locked = Boolean(counted?.locked_until && counted.locked_until > now);
  return fail('PICKUP_CODE_INVALID', `That is not the pickup code of order ${p.order_number}`, {
    attempts_left: locked ? 0 : MAX_CODE_ATTEMPTS - (counted?.failed_attempts ?? 0),
    ...(locked ? { locked_until: counted?.locked_until?.toISOString() } : {}),
  });
};
