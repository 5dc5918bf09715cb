/** Webhooks area: types from the generated client, query keys, and the event-type list as typed. */
import type { components } from '@plaza/client';

export type Endpoint = components['schemas']['WebhookEndpoint'];
export type Delivery = components['schemas']['WebhookDelivery'];
export type PlazaEvent = components['schemas']['Event'];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export const EVENT_STATUSES = ['pending', 'dispatched', 'failed'] as const;

export const webhookKeys = {
  list: ['webhooks', 'list'] as const,
  one: (id: string) => ['webhooks', id] as const,
  deliveries: (id: string, p: Record<string, string | undefined>) =>
    ['webhooks', id, 'deliveries', p] as const,
  events: (p: Record<string, string | undefined>) => ['events', p] as const,
};

/** `order.*, pickup.ready` or one per line → ['order.*', 'pickup.ready']. */
export const parseTypes = (typed: string): string[] =>
  typed
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
