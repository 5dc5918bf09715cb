/** Where journeys keep personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'journeys',
    notPersonal: ['id', 'name', 'status', 'kind', 'template', 'draft'],
    why: 'a journey definition',
  },
  {
    table: 'journey_versions',
    notPersonal: ['journey_id', 'trigger', 'steps', 'exit_on'],
    why: 'published journey definitions',
  },
  {
    table: 'journey_enrollments',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'journeys',
    personal: { context: 'empty' },
    notPersonal: ['id', 'journey_id', 'customer_id', 'trigger_key', 'state', 'exit_reason'],
  },
  {
    table: 'stock_watches',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'stock_watches',
    personal: {},
    notPersonal: ['id', 'customer_id', 'variant_id', 'location_id'],
  },
];
