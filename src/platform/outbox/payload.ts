/** The JSON of one event as it leaves Plaza: the body of a webhook delivery and of a NATS message. */
export interface EventEnvelope {
  id: string;
  type: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/**
 * Serializes an event for receivers outside Plaza: `{"id","type","occurred_at","data"}`, the same bytes
 * for the same event on every retry (webhooks sign them; NATS consumers see the same body).
 */
export const eventJson = (e: EventEnvelope): string =>
  JSON.stringify({ id: e.id, type: e.type, occurred_at: e.occurredAt.toISOString(), data: e.data });
