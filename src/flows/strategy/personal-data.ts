/**
 * The strategy advisor keeps the retailer's answers, aggregate measures and scores: no customer.
 * `*_by` columns hold the admin token or staff id that acted (Plaza's own staff, as elsewhere).
 */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

const NO_PERSON = "the retailer's answers, aggregate shop figures and scores: no customer";

export const personalData: PersonalDataDeclaration = [
  { table: 'strategy_answers', notPersonal: ['answers', 'updated_by'], why: NO_PERSON },
  { table: 'strategy_weights', notPersonal: ['weights', 'reason', 'changed_by'], why: NO_PERSON },
  {
    table: 'strategy_assessments',
    notPersonal: [
      'id',
      'trigger',
      'month',
      'answers',
      'measures',
      'result',
      'strategy',
      'previous_id',
      'change',
      'created_by',
    ],
    why: NO_PERSON,
  },
  {
    table: 'strategy_action_acceptances',
    notPersonal: ['id', 'assessment_id', 'action_key', 'accepted_by'],
    why: NO_PERSON,
  },
];
