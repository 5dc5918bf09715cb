/** Where the privacy module keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'privacy_requests',
    owner: 'customer_id = ANY($1)',
    onErase: 'scrub',
    section: 'privacy_requests',
    // The register itself stays (proof that requests were answered in time); notes and results go.
    personal: { note: 'null', rejection_reason: 'null', result: 'null' },
    notPersonal: [
      'id',
      'customer_id',
      'kind',
      'status',
      'source',
      'channel_id',
      'processed_by',
      'balance_decision',
    ],
    secret: ['result'],
  },
];
