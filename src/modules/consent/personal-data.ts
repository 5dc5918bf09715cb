/** Where the consent module keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'consent_records',
    owner: 'customer_id = ANY($1)',
    onErase: 'scrub',
    section: 'consents',
    personal: { ip: 'null', user_agent: 'null', confirmation_token_hash: 'null' },
    notPersonal: [
      'id',
      'customer_id',
      'purpose',
      'channel',
      'status',
      'legal_basis',
      'source',
      'sales_channel_id',
      'location_id',
      'form_version',
      'recorded_by',
      'confirms_record_id',
    ],
    secret: ['confirmation_token_hash'],
  },
];
