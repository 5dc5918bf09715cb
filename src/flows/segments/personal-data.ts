/** Where traits, computed traits and segments keep personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'customer_traits',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'traits',
    personal: { value: 'empty' },
    notPersonal: ['customer_id', 'key', 'source_id'],
  },
  {
    table: 'customer_computed_traits',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'computed_traits',
    personal: { value: 'null' },
    notPersonal: ['trait_id', 'customer_id'],
  },
  {
    table: 'segment_members',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'segments',
    personal: {},
    notPersonal: ['segment_id', 'customer_id'],
  },
  {
    table: 'segment_membership_history',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'segments',
    personal: {},
    notPersonal: ['segment_id', 'customer_id'],
  },
  {
    table: 'audience_dirty',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'segments',
    personal: {},
    notPersonal: ['customer_id'],
  },
  {
    table: 'computed_traits',
    notPersonal: ['id', 'key', 'name', 'description', 'definition'],
    why: "the retailer's definitions of computed traits",
  },
  {
    table: 'segments',
    notPersonal: ['id', 'name', 'description', 'rules'],
    why: "the retailer's segment definitions (rules hold values typed by staff, not a customer's data)",
  },
  {
    table: 'segment_sizes',
    notPersonal: ['segment_id'],
    why: 'counts of members over time',
  },
];
