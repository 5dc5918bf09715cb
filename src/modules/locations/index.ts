/** Locations: warehouses and stores, their addresses, hours and flags, and which ones fulfil each channel. */
import type { PlazaModule } from '../../platform/module.ts';
import { locationAdminRoutes } from './routes.ts';

export {
  type Hours,
  isClosedOn,
  nextOpenAt,
  openingStatus,
  openingStatuses,
  plusLocalDays,
  readyAt,
} from './hours.ts';
export type { FulfilmentLocation, LocationRow } from './repo.ts';
export {
  findLocationByName,
  fulfilmentLocations,
  getLocation,
  getLocations,
  listLocations,
  locationToApi,
} from './repo.ts';
export {
  type Address,
  type Closure,
  type CreateLocationBody,
  LOCATION_TYPES,
  Location,
  type LocationType,
  type OpeningHours,
  WEEKDAYS,
} from './schema.ts';
export {
  channelLocations,
  createLocation,
  deleteLocation,
  getLocationOrThrow,
  setChannelLocations,
  updateLocation,
} from './service.ts';
export { isTimezone } from './validate.ts';

export const locationsModule: PlazaModule = {
  name: 'locations',
  tags: [
    { name: 'locations', description: 'Warehouses and stores, and the locations that fulfil each channel' },
  ],
  adminRoutes: locationAdminRoutes,
};
export { personalData } from './personal-data.ts';

/** The country whose phone numbers need no country code at this location's counters. */
export const phoneCountryOf = (l: { default_country: string | null; country: string }): string =>
  l.default_country ?? l.country;
