/**
 * Ready-made journeys (POST /admin/journeys {template}). Each is an ordinary draft: it can be edited
 * before it is published. Template variables: `customer.*` (H2's recipient context) and `data.*`, the
 * entry's context (the cart, the watched item, the pickup's code and deadline …).
 */
import { validation } from '../../platform/errors.ts';
import type { CreateJourneyBody, Definition, TemplateName } from './schema.ts';

type Params = NonNullable<CreateJourneyBody['params']>;

export interface ReadyMade {
  name: string;
  kind: 'marketing' | 'transactional';
  definition: Definition;
}

const DAY_MINUTES = 1440;

const email = (subject: string, text: string, html?: string) => ({
  subject,
  text,
  html: html ?? `<p>${text}</p>`,
});

const builders: Record<TemplateName, (p: Params) => ReadyMade> = {
  abandoned_cart: (p) => ({
    name: 'Abandoned cart',
    kind: 'marketing',
    definition: {
      trigger: { type: 'cart_abandoned', idle_minutes: p.idle_minutes ?? 60 },
      steps: [
        {
          key: 'remind',
          type: 'send',
          medium: 'email',
          require_stock: 'cart',
          content: email(
            'You left something in your cart',
            'Hello {{ customer.first_name | default: "there" }}, the items in your cart are still available.',
          ),
        },
        { key: 'wait-1d', type: 'wait', duration_minutes: DAY_MINUTES },
        {
          key: 'last-call',
          type: 'send',
          medium: 'email',
          require_stock: 'cart',
          content: email('Still thinking it over?', 'Your cart is waiting for you, while stocks last.'),
        },
      ],
      exit_on: { event: 'Order Completed' },
    },
  }),
  back_in_stock: () => ({
    name: 'Back in stock at your store',
    kind: 'marketing',
    definition: {
      trigger: { type: 'stock', kind: 'back_in_stock' },
      steps: [
        {
          key: 'tell',
          type: 'send',
          medium: 'email',
          require_stock: 'watched_item',
          content: email(
            '{{ data.product_title }} is back in stock at {{ data.location_name }}',
            '{{ data.product_title }} ({{ data.sku }}) is back at {{ data.location_name }}: {{ data.available }} available now.',
          ),
        },
      ],
      exit_on: null,
    },
  }),
  pickup_ready: () => ({
    name: 'Pickup ready',
    kind: 'transactional',
    definition: {
      trigger: { type: 'fact', outbox_type: 'pickup.ready' },
      steps: [
        {
          key: 'ready',
          type: 'send',
          medium: 'email',
          transactional: true,
          content: email(
            'Order {{ data.order_number }} is ready for pickup',
            'Your order {{ data.order_number }} is ready. Show the code {{ data.code }} at the counter before {{ data.deadline_at }}.',
          ),
        },
      ],
      exit_on: null,
    },
  }),
  pickup_reminder: (p) => ({
    name: 'Pickup reminder',
    kind: 'transactional',
    definition: {
      trigger: { type: 'fact', outbox_type: 'pickup.ready' },
      steps: [
        {
          key: 'before-deadline',
          type: 'wait_until',
          at: 'deadline_at',
          offset_minutes: -60 * (p.hours_before ?? 24),
        },
        {
          key: 'remind',
          type: 'send',
          medium: 'email',
          transactional: true,
          content: email(
            'Order {{ data.order_number }} is waiting for you',
            'Your order {{ data.order_number }} is held until {{ data.deadline_at }}. Your code: {{ data.code }}.',
          ),
        },
      ],
      exit_on: { event: 'Order Picked Up', same_order: true },
    },
  }),
  after_pickup: (p) => ({
    name: 'After pickup',
    kind: 'marketing',
    definition: {
      trigger: { type: 'fact', outbox_type: 'order.picked_up' },
      steps: [
        { key: 'settle', type: 'wait', duration_minutes: (p.days_after ?? 2) * DAY_MINUTES },
        {
          key: 'feedback',
          type: 'send',
          medium: 'email',
          content: email(
            'How was order {{ data.order_number }}?',
            'Thank you for picking up order {{ data.order_number }}. Tell us how it went.',
          ),
        },
      ],
      exit_on: null,
    },
  }),
  welcome: () => ({
    name: 'Welcome series',
    kind: 'marketing',
    definition: {
      trigger: { type: 'fact', outbox_type: 'customer.registered' },
      steps: [
        {
          key: 'hello',
          type: 'send',
          medium: 'email',
          content: email('Welcome, {{ customer.first_name | default: "friend" }}', 'Welcome to our shop.'),
        },
        { key: 'wait-3d', type: 'wait', duration_minutes: 3 * DAY_MINUTES },
        {
          key: 'ordered',
          type: 'branch',
          condition: { event_count: { event: 'Order Completed', min: 1 } },
          // biome-ignore lint/suspicious/noThenProperty: a branch step's target (data, never awaited)
          then: 'done',
          else: 'stores',
        },
        {
          key: 'stores',
          type: 'send',
          medium: 'email',
          content: email('Pick up in store, today', 'Order online and pick up at your store the same day.'),
        },
        { key: 'done', type: 'exit', reason: 'series_done' },
      ],
      exit_on: null,
    },
  }),
  win_back: (p) => {
    if (!p.segment_id)
      throw validation('The win_back journey needs params.segment_id (a segment of lapsed customers)', [
        { path: 'body/params/segment_id', message: 'required for win_back' },
      ]);
    return {
      name: 'Win-back',
      kind: 'marketing',
      definition: {
        trigger: { type: 'segment_entered', segment_id: p.segment_id },
        steps: [
          {
            key: 'miss-you',
            type: 'send',
            medium: 'email',
            content: email(
              'We miss you, {{ customer.first_name | default: "friend" }}',
              'It has been a while. Come and see what is new.',
            ),
          },
          { key: 'wait-7d', type: 'wait', duration_minutes: 7 * DAY_MINUTES },
          {
            key: 'came-back',
            type: 'branch',
            condition: { event_count: { event: 'Order Completed', min: 1, within_days: 7 } },
            // biome-ignore lint/suspicious/noThenProperty: a branch step's target (data, never awaited)
            then: 'done',
            else: 'last-try',
          },
          {
            key: 'last-try',
            type: 'send',
            medium: 'email',
            content: email('One more thing', 'Your store has new arrivals waiting for you.'),
          },
          { key: 'done', type: 'exit', reason: 'series_done' },
        ],
        exit_on: { event: 'Order Completed' },
      },
    };
  },
};

/** The definition of a ready-made journey, with its parameters applied. */
export const readyMade = (name: TemplateName, params: Params = {}): ReadyMade => builders[name](params);
