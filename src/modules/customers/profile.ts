/** Customer profiles: views, creation without a password (POS, import, API) and profile changes. */
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { getLocation } from '../locations/index.ts';
import { addressesOf, addressToApi } from './addresses.ts';
import { type PhoneContext, phoneCountry } from './country.ts';
import {
  findLiveIdentities,
  type IdentityRow,
  identitiesOf,
  identityToApi,
  linkIdentity,
  normalizeIdentity,
  unlinkIdentity,
} from './identities.ts';
import * as repo from './repo.ts';
import type {
  AdminCustomer,
  AdminProfilePatch,
  CreateCustomerBody,
  CustomerProfile,
  StoreProfilePatch,
} from './schema-profile.ts';
import { isSuppressed } from './suppression.ts';

type ProfileDeps = Pick<Deps, 'clock' | 'config'>;

const toProfile = (
  c: repo.CustomerRow,
  ids: IdentityRow[],
  addresses: Parameters<typeof addressToApi>[0][],
) => ({
  ...repo.customerToApi(c),
  birthday: c.birthday,
  language: c.language,
  preferred_location_id: c.preferred_location_id,
  emails: ids
    .filter((i) => i.kind === 'email')
    .map((i) => ({ email: i.value, verified: i.verified, primary: i.is_primary })),
  phones: ids
    .filter((i) => i.kind === 'phone')
    .map((i) => ({ phone: i.value, verified: i.verified, primary: i.is_primary })),
  addresses: addresses.map(addressToApi),
});

/** Profiles with their emails, phones and addresses, in a fixed number of queries. */
export const profileViews = async (q: Queryable, rows: repo.CustomerRow[]): Promise<CustomerProfile[]> => {
  const ids = rows.map((r) => r.id);
  const [identities, addresses] = await Promise.all([identitiesOf(q, ids), addressesOf(q, ids)]);
  return rows.map((c) =>
    toProfile(
      c,
      identities.filter((i) => i.customer_id === c.id),
      addresses.filter((a) => a.customer_id === c.id),
    ),
  );
};

/** Staff views: the profile plus every identity (unlinked ones included) and the record's state. */
export const adminCustomerViews = async (
  q: Queryable,
  rows: repo.CustomerRow[],
): Promise<AdminCustomer[]> => {
  const ids = rows.map((r) => r.id);
  const [all, addresses] = await Promise.all([
    identitiesOf(q, ids, { includeUnlinked: true }),
    addressesOf(q, ids),
  ]);
  return rows.map((c) => {
    const mine = all.filter((i) => i.customer_id === c.id);
    return {
      ...toProfile(
        c,
        mine.filter((i) => !i.unlinked_at),
        addresses.filter((a) => a.customer_id === c.id),
      ),
      merged_into: c.merged_into,
      processing_restricted: c.processing_restricted_at !== null,
      erased_at: c.erased_at?.toISOString() ?? null,
      source: c.source,
      created_channel_id: c.created_channel_id,
      identities: mine.map(identityToApi),
    };
  });
};

const invalid = (path: string, message: string) =>
  fail('VALIDATION_FAILED', `${path} ${message}`, { errors: [{ path, message }] });

/** Checks that a birthday is a real past date and a preferred store exists. */
const checkProfileFields = async (
  q: Queryable,
  p: { birthday?: string | null; preferred_location_id?: string | null },
  now: Date,
): Promise<Result<true, 'VALIDATION_FAILED'>> => {
  if (p.birthday) {
    const d = new Date(`${p.birthday}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d > now || d.getUTCFullYear() < 1900) {
      return invalid('body.birthday', 'must be a past date after 1900');
    }
  }
  if (p.preferred_location_id && !(await getLocation(q, p.preferred_location_id))) {
    return invalid('body.preferred_location_id', 'is not a known location');
  }
  return ok(true);
};

export type CreateRefusal = 'ALREADY_EXISTS' | 'IDENTITY_SUPPRESSED' | 'VALIDATION_FAILED' | 'CONFLICT';

/**
 * Creates a customer without a password (a POS, an import, the API). Emails and phones must not
 * belong to another customer (ALREADY_EXISTS with its `customer_id`) nor to an erased one
 * (IDENTITY_SUPPRESSED). A phone without a country code is read in the country of `where` (the
 * counter's location, else the channel), else PLAZA_COUNTRY.
 */
export const createCustomer = async (
  tx: Tx,
  deps: ProfileDeps,
  input: CreateCustomerBody & { password_hash?: string | null },
  where: PhoneContext = {},
): Promise<Result<repo.CustomerRow, CreateRefusal>> => {
  const now = deps.clock.now();
  const country = await phoneCountry(tx, deps.config.defaultCountry, {
    channelId: input.channel_id,
    ...where,
  });
  const email = input.email ? normalizeIdentity('email', input.email, country) : null;
  const phone = input.phone ? normalizeIdentity('phone', input.phone, country) : null;
  if (input.email && !email) return invalid('body.email', 'is not a valid email');
  if (input.phone && !phone) return invalid('body.phone', 'is not a phone number we can read');
  if (!email && !phone) return invalid('body', 'needs an email or a phone to find the customer again');
  for (const [kind, v] of [
    ['email', email],
    ['phone', phone],
  ] as const) {
    if (v && (await isSuppressed(tx, deps, kind, v))) {
      return fail('IDENTITY_SUPPRESSED', `This ${kind} belonged to an erased customer and cannot be used`, {
        kind,
      });
    }
  }
  const pairs = [
    ...(email ? [{ kind: 'email' as const, value: email }] : []),
    ...(phone ? [{ kind: 'phone' as const, value: phone }] : []),
  ];
  const taken = (await findLiveIdentities(tx, pairs))[0];
  const byEmail = email ? await repo.findByEmail(tx, email) : undefined;
  if (taken || byEmail) {
    return fail('ALREADY_EXISTS', `A customer with this ${taken?.kind ?? 'email'} exists`, {
      customer_id: taken?.customer_id ?? byEmail?.id,
    });
  }
  const checked = await checkProfileFields(tx, input, now);
  if (!checked.ok) return checked;
  const row = await repo.insertCustomer(tx, {
    id: newId('cus'),
    email,
    password_hash: input.password_hash ?? null,
    first_name: input.first_name?.trim() ?? null,
    last_name: input.last_name?.trim() ?? null,
    phone,
    birthday: input.birthday ?? null,
    language: input.language ?? null,
    preferred_location_id: input.preferred_location_id ?? null,
    source: input.source ?? 'web',
    created_channel_id: input.channel_id ?? null,
    created_at: now,
  });
  const source = input.source ?? 'registration';
  for (const p of pairs) {
    const r = await linkIdentity(tx, deps, {
      customerId: row.id,
      ...p,
      primary: true,
      source,
      channelId: input.channel_id,
    });
    if (!r.ok) return r;
  }
  for (const ext of input.external_ids ?? []) {
    const r = await linkIdentity(tx, deps, { customerId: row.id, kind: 'external', value: ext, source });
    if (!r.ok) return r;
    if (r.value.status === 'linked_to_other') {
      return fail('ALREADY_EXISTS', 'This external id belongs to another customer', {
        customer_id: r.value.identity.customer_id,
      });
    }
  }
  await writeEvent(tx, deps.clock, {
    type: 'customer.created',
    aggregateType: 'customer',
    aggregateId: row.id,
    data: { customer_id: row.id, source: row.source, channel_id: row.created_channel_id },
  });
  return ok(row);
};

/** Locks an active customer; merged ones answer CONFLICT (with `merged_into`), erased ones NOT_FOUND. */
export const lockActiveCustomer = async (tx: Tx, id: string): Promise<repo.CustomerRow> => {
  const c = await repo.getCustomerForUpdate(tx, id);
  if (!c || c.status === 'erased') throw notFound('Customer', id);
  if (c.status === 'merged') {
    throw new PlazaError('CONFLICT', `Customer ${id} was merged into ${c.merged_into}`, {
      merged_into: c.merged_into,
    });
  }
  return c;
};

/**
 * Changes a profile. A new phone (or email, for staff) becomes the primary one; a phone without a
 * country code is read in the country of `where` (see country.ts).
 */
export const updateProfile = async (
  tx: Tx,
  deps: ProfileDeps,
  id: string,
  patch: StoreProfilePatch | AdminProfilePatch,
  by: string,
  where: PhoneContext = {},
): Promise<Result<repo.CustomerRow, CreateRefusal>> => {
  const now = deps.clock.now();
  await lockActiveCustomer(tx, id);
  const checked = await checkProfileFields(tx, patch, now);
  if (!checked.ok) return checked;
  const country = await phoneCountry(tx, deps.config.defaultCountry, where);
  const relink = async (kind: 'email' | 'phone', raw: string) => {
    const value = normalizeIdentity(kind, raw, country);
    if (!value) return invalid(`body.${kind}`, `is not a valid ${kind}`);
    const r = await linkIdentity(tx, deps, { customerId: id, kind, value, primary: true, source: 'profile' });
    if (!r.ok) return r;
    if (r.value.status === 'linked_to_other') {
      return fail('ALREADY_EXISTS', `This ${kind} belongs to another customer`, { kind });
    }
    return ok(true);
  };
  if ('email' in patch && patch.email) {
    const clash = await repo.findByEmail(tx, patch.email);
    if (clash && clash.id !== id) return fail('ALREADY_EXISTS', 'This email belongs to another customer');
    const r = await relink('email', patch.email);
    if (!r.ok) return r;
  }
  if (patch.phone) {
    const r = await relink('phone', patch.phone);
    if (!r.ok) return r;
  } else if (patch.phone === null) {
    for (const p of await identitiesOf(tx, [id], { kind: 'phone' })) {
      if (p.is_primary) await unlinkIdentity(tx, deps, p, by);
    }
  }
  const row = await repo.updateCustomer(
    tx,
    id,
    {
      first_name: patch.first_name === undefined ? undefined : (patch.first_name?.trim() ?? null),
      last_name: patch.last_name === undefined ? undefined : (patch.last_name?.trim() ?? null),
      birthday: patch.birthday,
      language: patch.language,
      preferred_location_id: patch.preferred_location_id,
    },
    now,
  );
  await writeEvent(tx, deps.clock, {
    type: 'customer.updated',
    aggregateType: 'customer',
    aggregateId: id,
    data: { customer_id: id, fields: Object.keys(patch), by },
  });
  return ok(row);
};

/**
 * Records that processing of a customer's data is restricted (or no longer): while restricted, no
 * marketing, profiling or analytics use; orders are still fulfilled.
 */
export const setProcessingRestricted = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  restricted: boolean,
  by: string,
): Promise<repo.CustomerRow> => {
  const c = await lockActiveCustomer(tx, id);
  const now = deps.clock.now();
  if ((c.processing_restricted_at !== null) === restricted) return c;
  const row = await repo.updateCustomer(tx, id, { processing_restricted_at: restricted ? now : null }, now);
  await writeEvent(tx, deps.clock, {
    type: restricted ? 'customer.processing_restricted' : 'customer.processing_restriction_lifted',
    aggregateType: 'customer',
    aggregateId: id,
    data: { customer_id: id, by },
  });
  return row;
};
