/** Where the merge audit keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

const MERGES_OF_PERSON = 'survivor_id = ANY($1) OR merged_id = ANY($1)';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'customer_merges',
    owner: MERGES_OF_PERSON,
    onErase: 'scrub',
    section: 'merges',
    personal: { survivor_before: 'empty', undo_report: 'null', reason: 'null' },
    notPersonal: ['id', 'survivor_id', 'merged_id', 'status', 'created_by', 'undone_by'],
  },
  {
    table: 'customer_merge_moves',
    owner: `merge_id IN (SELECT id FROM customer_merges WHERE ${MERGES_OF_PERSON})`,
    onErase: 'scrub',
    section: 'merge_moves',
    personal: { before: 'empty' },
    notPersonal: ['merge_id', 'kind', 'row_id'],
  },
];
