/**
 * Consent: an append-only ledger per customer × purpose × contact channel. Email marketing uses double
 * opt-in: a grant is `pending` until the emailed confirmation token is used. Marketing is allowed only
 * on a current `granted` and never while processing is restricted; transactional messages are never
 * blocked by a marketing choice.
 */
import { randomBytes } from 'node:crypto';
import { hmacSha256, safeEqual, sha256 } from '../../platform/crypto.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { getSetting } from '../../platform/settings.ts';
import {
  assertProcessing,
  type CustomerRow,
  checkProcessing,
  getCustomer,
  lockActiveCustomer,
  survivorOf,
} from '../customers/index.ts';
import * as repo from './repo.ts';
import {
  CONTACT_CHANNELS,
  type ConsentSource,
  type ContactChannel,
  type LegalBasis,
  PURPOSES,
  type Purpose,
} from './schema.ts';

type Clocked = Pick<Deps, 'clock'>;

/** How long an email confirmation link stays valid. */
export const CONFIRMATION_TTL_MS = 7 * 24 * 3_600_000;

export interface Proof {
  ip?: string | null;
  userAgent?: string | null;
  formVersion?: string | null;
}

export interface ConsentInput {
  customerId: string;
  purpose: Purpose;
  channel: ContactChannel;
  /** What the person said: `granted` (email marketing under consent becomes `pending`), `denied` or `withdrawn`. */
  status: 'granted' | 'denied' | 'withdrawn';
  legalBasis?: LegalBasis;
  source: ConsentSource;
  salesChannelId?: string | null;
  locationId?: string | null;
  proof?: Proof;
  recordedBy: string;
  /** When the person gave it (imports); defaults to now. */
  recordedAt?: Date;
}

export const needsDoubleOptIn = (i: Pick<ConsentInput, 'purpose' | 'channel' | 'legalBasis' | 'status'>) =>
  i.status === 'granted' &&
  i.purpose === 'marketing' &&
  i.channel === 'email' &&
  (i.legalBasis ?? 'consent') === 'consent';

const changed = (tx: Tx, deps: Clocked, row: repo.ConsentRow) =>
  writeEvent(tx, deps.clock, {
    type: 'consent.changed',
    aggregateType: 'customer',
    aggregateId: row.customer_id,
    data: {
      customer_id: row.customer_id,
      consent_id: row.id,
      purpose: row.purpose,
      channel: row.channel,
      status: row.status,
      source: row.source,
      legal_basis: row.legal_basis,
      channel_id: row.sales_channel_id,
      location_id: row.location_id,
    },
  });

/**
 * Appends a consent statement. A grant of email marketing (under consent) is recorded `pending` and a
 * `consent.confirmation_requested` event carries the confirmation token for the mailer. Returns the
 * row written (or the current one when the statement changes nothing).
 */
export const recordConsent = async (
  tx: Tx,
  deps: Clocked,
  input: ConsentInput,
): Promise<{ row: repo.ConsentRow; token: string | null; changed: boolean }> => {
  const customer = await lockActiveCustomer(tx, input.customerId);
  if (input.status === 'granted') await assertProcessing(tx, customer.id, 'consent_grant');
  const now = deps.clock.now();
  const current = await repo.currentConsent(tx, customer.id, input.purpose, input.channel);
  const doubleOptIn = needsDoubleOptIn(input);
  const unchanged = { row: current as repo.ConsentRow, token: null, changed: false };
  let status: repo.ConsentRow['status'] = doubleOptIn ? 'pending' : input.status;
  if (input.status === 'withdrawn' && !current) status = 'denied'; // nothing to withdraw: a refusal
  if (current && (doubleOptIn ? current.status === 'granted' : current.status === status)) return unchanged;
  if (current && input.status === 'withdrawn' && current.status === 'denied') return unchanged;
  const token = doubleOptIn ? newSecret('plz_cf_', 24) : null;
  const row = await repo.insertConsent(tx, {
    id: newId('cns'),
    customer_id: customer.id,
    purpose: input.purpose,
    channel: input.channel,
    status,
    legal_basis: input.legalBasis ?? 'consent',
    source: input.source,
    sales_channel_id: input.salesChannelId ?? null,
    location_id: input.locationId ?? null,
    ip: input.proof?.ip ?? null,
    user_agent: input.proof?.userAgent?.slice(0, 500) ?? null,
    form_version: input.proof?.formVersion ?? null,
    recorded_by: input.recordedBy,
    confirmation_token_hash: token ? sha256(token) : null,
    confirmation_expires_at: token ? new Date(now.getTime() + CONFIRMATION_TTL_MS) : null,
    confirms_record_id: null,
    recorded_at: input.recordedAt && input.recordedAt < now ? input.recordedAt : now,
  });
  await changed(tx, deps, row);
  if (token) {
    await writeEvent(tx, deps.clock, {
      type: 'consent.confirmation_requested',
      aggregateType: 'customer',
      aggregateId: customer.id,
      data: {
        customer_id: customer.id,
        consent_id: row.id,
        purpose: row.purpose,
        channel: row.channel,
        email: customer.email,
        token,
        expires_at: row.confirmation_expires_at?.toISOString(),
        channel_id: row.sales_channel_id,
        location_id: row.location_id,
      },
    });
  }
  return { row, token, changed: true };
};

/**
 * Confirms a double opt-in: the pending grant becomes `granted` (a new row pointing at the pending
 * one). Refused when the token is unknown (NOT_FOUND), expired, or superseded by a later choice
 * (CONFLICT). Using a token twice is harmless.
 */
export const confirmConsent = async (
  tx: Tx,
  deps: Clocked,
  token: string,
  proof: Proof,
): Promise<Result<repo.ConsentRow, 'NOT_FOUND' | 'CONFLICT'>> => {
  const pending = await repo.pendingByTokenHash(tx, sha256(token));
  if (!pending) return fail('NOT_FOUND', 'This confirmation link is not valid');
  const customer = await lockActiveCustomer(tx, pending.customer_id);
  const current = await repo.currentConsent(tx, customer.id, pending.purpose, pending.channel);
  if (current?.confirms_record_id === pending.id) return ok(current);
  if (current?.id !== pending.id) {
    return fail('CONFLICT', 'A later choice replaced this request; nothing was changed', {
      reason: 'superseded',
    });
  }
  if ((pending.confirmation_expires_at?.getTime() ?? 0) <= deps.clock.now().getTime()) {
    return fail('CONFLICT', 'This confirmation link has expired; subscribe again', { reason: 'expired' });
  }
  const row = await repo.insertConsent(tx, {
    ...pending,
    id: newId('cns'),
    status: 'granted',
    source: 'double_opt_in',
    ip: proof.ip ?? null,
    user_agent: proof.userAgent?.slice(0, 500) ?? null,
    form_version: proof.formVersion ?? pending.form_version,
    recorded_by: `customer:${customer.id}`,
    confirmation_token_hash: null,
    confirmation_expires_at: null,
    confirms_record_id: pending.id,
    recorded_at: deps.clock.now(),
  });
  await changed(tx, deps, row);
  return ok(row);
};

export interface ContactQuestion {
  purpose: Purpose;
  channel: ContactChannel;
  kind: 'marketing' | 'transactional';
}

export type ContactReason =
  | 'transactional'
  | 'consent_granted'
  | 'unknown_customer'
  | 'erased'
  | 'processing_restricted'
  | 'awaiting_confirmation'
  | 'withdrawn'
  | 'denied'
  | 'no_consent';

/**
 * May we send this message? Transactional messages (order confirmation, pickup ready) always, to a
 * customer that exists and was not erased. Marketing only with a current `granted` for that purpose
 * and channel, and never while processing is restricted. A merged profile answers for its survivor.
 */
export const canContact = async (
  q: Queryable,
  customerId: string,
  question: ContactQuestion,
): Promise<{ allowed: boolean; reason: ContactReason }> => {
  const found = await getCustomer(q, customerId);
  if (!found) return { allowed: false, reason: 'unknown_customer' };
  const c = await survivorOf(q, found);
  if (c.status === 'erased') return { allowed: false, reason: 'erased' };
  if (question.kind === 'transactional') return { allowed: true, reason: 'transactional' };
  if (!(await checkProcessing(q, c.id, 'marketing_messages')).allowed)
    return { allowed: false, reason: 'processing_restricted' };
  const current = await repo.currentConsent(q, c.id, question.purpose, question.channel);
  if (current?.status === 'granted') return { allowed: true, reason: 'consent_granted' };
  if (current?.status === 'pending') return { allowed: false, reason: 'awaiting_confirmation' };
  return { allowed: false, reason: current?.status ?? 'no_consent' };
};

/** Every purpose × channel with its current state (`not_set` when never recorded). */
export const consentStates = async (q: Queryable, customerId: string) => {
  const current = await repo.currentConsents(q, customerId);
  return PURPOSES.flatMap((purpose) =>
    CONTACT_CHANNELS.map((channel) => {
      const r = current.find((x) => x.purpose === purpose && x.channel === channel);
      return {
        purpose,
        channel,
        status: r?.status ?? ('not_set' as const),
        legal_basis: r?.legal_basis ?? null,
        source: r?.source ?? null,
        recorded_at: r?.recorded_at.toISOString() ?? null,
      };
    }),
  );
};

// One-click unsubscribe tokens: stateless, signed with a key kept in the settings table.
const KEY_SETTING = 'consent.unsubscribe_key';
const unsubscribeKey = async (q: Queryable): Promise<string> => {
  const k = await getSetting<string>(q, KEY_SETTING);
  if (k) return k;
  await q.query(
    `INSERT INTO plaza_settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`,
    [KEY_SETTING, JSON.stringify(randomBytes(32).toString('base64url'))],
  );
  return (await getSetting<string>(q, KEY_SETTING)) as string;
};

/**
 * A token for a one-click unsubscribe link (`POST /store/unsubscribe/:token`): it names a customer,
 * purpose and channel and is signed, so it needs no login and cannot be forged or altered.
 */
export const unsubscribeToken = async (
  q: Queryable,
  customerId: string,
  purpose: Purpose,
  channel: ContactChannel,
): Promise<string> => (await unsubscribeSigner(q))(customerId, purpose, channel);

/** Reads the signing key once and signs many tokens with it (a sender's batch of e-mails). */
export const unsubscribeSigner = async (
  q: Queryable,
): Promise<(customerId: string, purpose: Purpose, channel: ContactChannel) => string> => {
  const key = await unsubscribeKey(q);
  return (customerId, purpose, channel) => {
    const payload = Buffer.from(`${customerId}:${purpose}:${channel}`).toString('base64url');
    return `u1.${payload}.${hmacSha256(key, payload).slice(0, 32)}`;
  };
};

const readToken = async (q: Queryable, token: string) => {
  const [v, payload, sig] = token.split('.');
  if (v !== 'u1' || !payload || !sig) return undefined;
  if (!safeEqual(hmacSha256(await unsubscribeKey(q), payload).slice(0, 32), sig)) return undefined;
  const [customerId, purpose, channel] = Buffer.from(payload, 'base64url').toString('utf8').split(':');
  if (!customerId || !PURPOSES.includes(purpose as Purpose)) return undefined;
  if (!CONTACT_CHANNELS.includes(channel as ContactChannel)) return undefined;
  return { customerId, purpose: purpose as Purpose, channel: channel as ContactChannel };
};

/** Withdraws the consent a valid unsubscribe token names (idempotent; erased customers: nothing to do). */
export const unsubscribe = async (
  tx: Tx,
  deps: Clocked,
  token: string,
  proof: Proof,
): Promise<{ purpose: Purpose; channel: ContactChannel }> => {
  const t = await readToken(tx, token);
  if (!t) throw notFound('Unsubscribe link');
  const found = await getCustomer(tx, t.customerId);
  const c: CustomerRow | undefined = found ? await survivorOf(tx, found) : undefined;
  if (c && c.status === 'active') {
    await recordConsent(tx, deps, {
      customerId: c.id,
      purpose: t.purpose,
      channel: t.channel,
      status: 'withdrawn',
      source: 'unsubscribe_link',
      proof,
      recordedBy: 'unsubscribe_link',
    });
  }
  return { purpose: t.purpose, channel: t.channel };
};

/** Throws NOT_FOUND for an unknown or erased customer (admin routes). */
export const assertKnown = async (q: Queryable, id: string): Promise<CustomerRow> => {
  const c = await getCustomer(q, id);
  if (!c || c.status === 'erased') throw notFound('Customer', id);
  return c;
};

/**
 * May the customer's data be used for a purpose (marketing, personalization, analytics, profiling)?
 * Never while processing is restricted or after erasure; otherwise only with a current `granted` for
 * that purpose on at least one channel.
 */
export const processingAllowed = async (
  q: Queryable,
  customerId: string,
  purpose: Purpose,
): Promise<boolean> => {
  const found = await getCustomer(q, customerId);
  if (!found) return false;
  const c = await survivorOf(q, found);
  if (c.status !== 'active') return false;
  const use = purpose === 'marketing' ? 'marketing_messages' : 'profiling';
  if (!(await checkProcessing(q, c.id, use)).allowed) return false;
  return (await repo.currentConsents(q, c.id)).some((r) => r.purpose === purpose && r.status === 'granted');
};
