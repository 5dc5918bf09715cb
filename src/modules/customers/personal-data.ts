/** Where the customers module keeps personal data, and how erasure and export treat it (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'customers',
    owner: 'id = ANY($1)',
    onErase: 'scrub',
    section: 'profiles',
    personal: {
      email: 'null',
      phone: 'null',
      first_name: 'null',
      last_name: 'null',
      birthday: 'null',
      language: 'null',
      password_hash: 'null',
    },
    notPersonal: ['id', 'status', 'merged_into', 'source', 'created_channel_id', 'preferred_location_id'],
    secret: ['password_hash'],
  },
  {
    table: 'customer_identities',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'identities',
    personal: { value: 'null' },
    notPersonal: ['id', 'customer_id', 'kind', 'source', 'source_channel_id'],
  },
  {
    table: 'customer_addresses',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'addresses',
    personal: {
      name: 'null',
      company: 'null',
      line1: 'null',
      line2: 'null',
      city: 'null',
      region: 'null',
      postal_code: 'null',
      country: 'null',
      phone: 'null',
    },
    notPersonal: ['id', 'customer_id'],
  },
  {
    table: 'customer_sessions',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'sessions',
    personal: { anonymous_id: 'null' },
    notPersonal: ['id', 'customer_id', 'channel_id'],
    secret: ['token_hash'],
  },
  {
    table: 'auth_failures',
    owner: 'email_hash = ANY($4)',
    onErase: 'delete',
    section: 'login_failures',
    personal: { email_hash: 'null', ip: 'null' },
    notPersonal: [],
  },
  {
    table: 'privacy_suppressions',
    notPersonal: ['kind', 'hash'],
    why:
      'keyed hashes of erased e-mails and phones, kept so that an erased person is not re-created; ' +
      'without the key (PLAZA_PRIVACY_KEY, outside the database) they cannot be linked to anyone',
  },
];
