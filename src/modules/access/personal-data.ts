/** The access module keeps no customer data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'admin_tokens',
    notPersonal: ['id', 'name', 'scope', 'token_hash', 'token_hint', 'location_ids', 'created_by'],
    why: "staff credentials (the retailer's own staff records are out of scope for customer data rights)",
  },
];
