/**
 * Which country a phone number written without a country code is read in: the store location's at
 * a counter (its `default_country`, else its address country), else the channel's `default_country`
 * setting, else PLAZA_COUNTRY.
 */
import type { Queryable } from '../../platform/db.ts';
import type { AdminPrincipal } from '../../platform/http/auth.ts';
import { channelSettings } from '../channels/index.ts';
import { getLocation, phoneCountryOf } from '../locations/index.ts';

/** Where a number was typed: a store location, a channel, both or neither. */
export interface PhoneContext {
  locationId?: string | null;
  channelId?: string | null;
}

/** The default country for phone numbers typed in this context (PLAZA_COUNTRY as the last resort). */
export const phoneCountry = async (
  q: Queryable,
  fallback: string,
  at: PhoneContext = {},
): Promise<string> => {
  if (at.locationId) {
    const l = await getLocation(q, at.locationId);
    if (l) return phoneCountryOf(l);
  }
  if (at.channelId) {
    const s = await channelSettings(q, at.channelId);
    if (s.default_country) return s.default_country;
  }
  return fallback;
};

/**
 * The location an /admin caller types numbers at: the one asked for, else a staff member's only
 * store (a counter), else none.
 */
export const counterOf = (admin: AdminPrincipal, locationId?: string | null): string | null =>
  locationId ??
  (admin.scope === 'staff' && admin.locationIds.length === 1 ? (admin.locationIds[0] ?? null) : null);
