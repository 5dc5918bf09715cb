/** Test helpers of the journey tests: customers with a session, carts, journeys, the engine's passes. */
import { expect } from 'vitest';
import type { TestApp } from '../../../test/support/app.ts';
import { drainOutbox } from '../../../test/support/stores.ts';
import { advanceJourneys, scanTriggers } from './jobs.ts';

let n = 0;

export interface Shopper {
  id: string;
  token: string;
  email: string;
}

/** Registers and logs in a customer on a channel. */
export const shopper = async (t: TestApp, key: string, first = 'Ada'): Promise<Shopper> => {
  const email = `jrn-${++n}-${process.pid}@example.com`;
  const reg = await t.call<{ id: string }>('POST', '/store/customers', {
    key,
    body: { email, password: 'long enough pw', first_name: first },
  });
  expect(reg.status).toBe(201);
  const s = await t.call<{ token: string }>('POST', '/store/auth/token', {
    key,
    body: { email, password: 'long enough pw' },
  });
  expect(s.status).toBe(200);
  return { id: reg.body.id, token: s.body.token, email };
};

/** The customer's cart with these items (their one active cart). */
export const cartOf = async (
  t: TestApp,
  key: string,
  who: Shopper,
  items: { sku: string; quantity: number }[],
) => {
  const r = await t.call<{ cart: { id: string } }>('POST', '/store/carts', {
    key,
    token: who.token,
    body: { items },
  });
  expect(r.status).toBe(201);
  return r.body.cart.id;
};

/** Creates a journey (from a template or a definition) and publishes it; returns its id. */
export const publishJourney = async (t: TestApp, body: Record<string, unknown>): Promise<string> => {
  const c = await t.admin<{ id: string }>('POST', '/journeys', body);
  expect(c.status, c.text).toBe(201);
  const p = await t.admin<{ status: string }>('POST', `/journeys/${c.body.id}/publish`);
  expect(p.status, p.text).toBe(200);
  expect(p.body.status).toBe('active');
  return c.body.id;
};

/** One pass of everything: outbox subscribers, polling triggers, then the engine. */
export const tick = async (t: TestApp): Promise<void> => {
  await drainOutbox(t);
  await scanTriggers(t.deps);
  while ((await advanceJourneys(t.deps)) > 0);
};

export interface EntryView {
  id: string;
  customer_id: string;
  version: number;
  state: string;
  step_index: number;
  trigger_key: string;
  exit_reason: string | null;
  wake_at: Date | null;
}

export const entriesOf = async (t: TestApp, journeyId: string): Promise<EntryView[]> =>
  (
    await t.deps.db.query<EntryView>(
      `SELECT id, customer_id, version, state, step_index, trigger_key, exit_reason, wake_at
       FROM journey_enrollments WHERE journey_id = $1 ORDER BY created_at, id`,
      [journeyId],
    )
  ).rows;

export interface SendView {
  source_kind: string;
  source_key: string;
  step_key: string;
  customer_id: string;
  journey_version: number;
  marketing: boolean;
  status: string;
  skip_reason: string | null;
  payload: { content: Record<string, Record<string, string>>; data: Record<string, unknown> };
}

export const sendsOf = async (t: TestApp, journeyId: string): Promise<SendView[]> =>
  (
    await t.deps.db.query<SendView>(
      `SELECT source_kind, source_key, step_key, customer_id, journey_version, marketing, status, skip_reason, payload
       FROM message_sends WHERE journey_id = $1 ORDER BY created_at, id`,
      [journeyId],
    )
  ).rows;
