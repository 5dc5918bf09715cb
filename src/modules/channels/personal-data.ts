/** The channels module keeps no personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'channels',
    notPersonal: ['id', 'name', 'type', 'currency', 'locale', 'settings'],
    why: 'sales channels and their settings',
  },
  {
    table: 'channel_keys',
    notPersonal: ['id', 'channel_id', 'name', 'key'],
    why: 'publishable channel keys',
  },
];
