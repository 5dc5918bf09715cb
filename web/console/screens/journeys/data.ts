/** Journeys area: types from the generated client, query keys, ready-made templates, new steps. */
import type { paths } from '@plaza/client';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;

export type JourneyList = Json<paths['/admin/journeys']['get']['responses'][200]>;
export type Journey = Json<paths['/admin/journeys/{id}']['get']['responses'][200]>;
export type CreateBody = NonNullable<
  paths['/admin/journeys']['post']['requestBody']
>['content']['application/json'];
export type Template = NonNullable<CreateBody['template']>;
export type Params = NonNullable<CreateBody['params']>;
export type Definition = NonNullable<Journey['draft']>;
export type Trigger = Definition['trigger'];
export type Step = Definition['steps'][number];
export type StepType = Step['type'];
export type SendStep = Extract<Step, { type: 'send' }>;
export type BranchStep = Extract<Step, { type: 'branch' }>;
export type Condition = BranchStep['condition'];
export type JourneyStatus = Journey['status'];

export const TEMPLATES: readonly Template[] = [
  'abandoned_cart',
  'back_in_stock',
  'pickup_ready',
  'pickup_reminder',
  'after_pickup',
  'welcome',
  'win_back',
];

/** The parameter each template takes (besides its name). */
export const TEMPLATE_PARAMS: Record<Template, readonly (keyof Params)[]> = {
  abandoned_cart: ['idle_minutes'],
  back_in_stock: [],
  pickup_ready: [],
  pickup_reminder: ['hours_before'],
  after_pickup: ['days_after'],
  welcome: [],
  win_back: ['segment_id', 'days_after'],
};

export const STEP_TYPES: readonly StepType[] = [
  'wait',
  'wait_until',
  'branch',
  'send',
  'update_trait',
  'exit',
];
export const ENROLLMENT_STATES = ['active', 'completed', 'converted', 'exited', 'failed'] as const;

export const journeyKeys = {
  all: ['journeys'] as const,
  list: (status: string | undefined) => ['journeys', 'list', status] as const,
  one: (id: string) => ['journeys', id] as const,
};

/** A step of a type with the smallest settings that mean something. */
export const newStep = (type: StepType, key: string): Step => {
  switch (type) {
    case 'wait':
      return { key, type, duration_minutes: 60 };
    case 'wait_until':
      return { key, type, time: '10:00' };
    case 'branch':
      // biome-ignore lint/suspicious/noThenProperty: the API's branch step names its targets then / else
      return { key, type, condition: { trait: { key: '' } }, then: key, else: key };
    case 'send':
      return { key, type, medium: 'email', content: { subject: '', html: '', text: '' } };
    case 'update_trait':
      return { key, type, trait: '', value: '' };
    case 'exit':
      return { key, type };
  }
};

export const statusTone = (s: string): 'neutral' | 'success' | 'warning' =>
  s === 'active' ? 'success' : s === 'paused' ? 'warning' : 'neutral';

/** `true`, `false` and numbers as such; everything else as text. */
export const parseScalar = (s: string): string | number | boolean => {
  const v = s.trim();
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v !== '' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return s;
};
