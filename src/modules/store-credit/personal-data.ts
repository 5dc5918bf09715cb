/** Where the store-credit module keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'store_credit_balances',
    owner: 'customer_id = ANY($1)',
    onErase: 'scrub',
    section: 'store_credit_balances',
    personal: {},
    notPersonal: ['customer_id', 'currency'],
  },
  {
    table: 'store_credit_entries',
    owner: 'customer_id = ANY($1)',
    onErase: 'scrub',
    section: 'store_credit_entries',
    personal: {},
    notPersonal: ['id', 'customer_id', 'kind', 'reference_type', 'reference_id', 'actor', 'currency'],
  },
];
