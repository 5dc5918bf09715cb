/** The locations module keeps no personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'locations',
    notPersonal: [
      'id',
      'type',
      'name',
      'address_line1',
      'address_line2',
      'city',
      'region',
      'postal_code',
      'country',
      'timezone',
      'opening_hours',
      'default_country',
      'closures',
    ],
    why: "the retailer's stores and warehouses, not people",
  },
  {
    table: 'channel_locations',
    notPersonal: ['channel_id', 'location_id'],
    why: 'which channel sells from where',
  },
];
