/** The staff module keeps no customer data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

const why =
  "the retailer's own staff accounts and their credentials (staff records are out of scope for customer data rights)";

export const personalData: PersonalDataDeclaration = [
  {
    table: 'staff_users',
    notPersonal: ['id', 'email', 'name', 'role', 'location_ids', 'status', 'password_hash', 'created_by'],
    why,
  },
  { table: 'staff_sessions', notPersonal: ['id', 'user_id', 'token_hash'], why },
  { table: 'staff_links', notPersonal: ['id', 'kind', 'user_id', 'token_hash', 'created_by'], why },
];
