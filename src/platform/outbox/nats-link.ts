/**
 * Plaza's connection to NATS JetStream for the outbox relay: connects (and reconnects, forever), makes
 * sure the stream exists with the subjects and de-duplication window the relay relies on, and
 * publishes events with their id as the JetStream message id.
 */
import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  jetstream,
  jetstreamManager,
  type PubAck,
  type StreamConfig,
} from '@nats-io/jetstream';
import {
  connect,
  headers,
  type NatsConnection,
  type NodeConnectionOptions,
  nanos,
} from '@nats-io/transport-node';
import type { Logger } from '../log.ts';
import type { NatsConfig } from './nats-config.ts';
import { type EventEnvelope, eventJson } from './payload.ts';

/**
 * JetStream drops a message whose id it stored within this window. A relay that dies between the
 * publish ack and its mark publishes the same events again when it (or another worker) resumes, which
 * takes the lease (10 s) plus a restart: well inside 5 minutes. Streams Plaza creates get this window.
 */
export const DUPLICATE_WINDOW_MS = 5 * 60_000;
/** A shorter window on an existing stream is accepted with a warning (JetStream's default is 2 minutes). */
export const MIN_DUPLICATE_WINDOW_MS = 2 * 60_000;
/** How long a publish waits for its ack before it counts as failed (and is retried). */
export const ACK_TIMEOUT_MS = 5_000;

/** `<prefix>.<event type>`, each token of the type kept to characters that are safe in a subject. */
export const subjectFor = (prefix: string, type: string): string =>
  `${prefix}.${type
    .split('.')
    .map((t) => t.replace(/[^A-Za-z0-9_-]/g, '_') || '_')
    .join('.')}`;

/** Whether a stream subject (possibly with `*` and `>`) takes every subject under `prefix`. */
export const coversPrefix = (pattern: string, prefix: string): boolean => {
  const p = pattern.split('.');
  const q = prefix.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return true;
    if (i >= q.length || (p[i] !== '*' && p[i] !== q[i])) return false;
  }
  return false;
};

/** nats.js takes host:port servers and credentials apart; PLAZA_NATS_URL has them in URLs. */
export const connectionOptions = (cfg: NatsConfig): NodeConnectionOptions => {
  const urls = cfg.servers.map((s) => new URL(s));
  const auth = urls.find((u) => u.username !== '');
  const user = auth ? decodeURIComponent(auth.username) : undefined;
  const pass = auth?.password ? decodeURIComponent(auth.password) : undefined;
  return {
    servers: urls.map((u) => (u.port ? u.host : `${u.host}:4222`)),
    ...(user !== undefined && pass !== undefined ? { user, pass } : {}),
    ...(user !== undefined && pass === undefined ? { token: user } : {}),
    ...(urls.some((u) => u.protocol === 'tls:') ? { tls: {} } : {}),
    name: 'plaza-outbox-relay',
    // a lost connection is routine: reconnect forever, every second
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    timeout: 5_000,
  };
};

/** The stream's configuration when Plaza creates it. */
export const streamConfig = (cfg: NatsConfig): Partial<StreamConfig> & { name: string } => ({
  name: cfg.stream,
  subjects: [`${cfg.subjectPrefix}.>`],
  duplicate_window: nanos(DUPLICATE_WINDOW_MS),
});

export class NatsLink {
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;

  constructor(
    private readonly cfg: NatsConfig,
    private readonly log: Logger,
  ) {}

  /** The JetStream client, connecting and checking the stream first if needed. Throws when NATS is not there. */
  async client(): Promise<JetStreamClient> {
    if (this.nc && this.js && !this.nc.isClosed()) return this.js;
    const nc = await connect(connectionOptions(this.cfg));
    try {
      await this.ensureStream(nc);
    } catch (e) {
      await nc.close().catch(() => undefined);
      throw e;
    }
    this.watch(nc);
    this.nc = nc;
    this.js = jetstream(nc, { timeout: ACK_TIMEOUT_MS });
    this.log.info({ stream: this.cfg.stream, server: nc.getServer() }, 'NATS relay connected');
    return this.js;
  }

  /** Creates the stream if it is missing; refuses one that does not take the relay's subjects. */
  private async ensureStream(nc: NatsConnection): Promise<void> {
    const jsm = await jetstreamManager(nc, { timeout: ACK_TIMEOUT_MS });
    const { stream, subjectPrefix } = this.cfg;
    try {
      const { config } = await jsm.streams.info(stream);
      if (!(config.subjects ?? []).some((s) => coversPrefix(s, subjectPrefix))) {
        throw new Error(
          `NATS stream ${stream} exists but does not take ${subjectPrefix}.> (its subjects: ${(config.subjects ?? []).join(', ') || 'none'}); add the subject or choose another PLAZA_NATS_STREAM`,
        );
      }
      if (config.duplicate_window < nanos(MIN_DUPLICATE_WINDOW_MS)) {
        this.log.warn(
          { stream, duplicateWindowMs: config.duplicate_window / 1e6 },
          'NATS stream de-duplication window is under 2 minutes: an event re-published after a relay crash may be stored twice',
        );
      }
    } catch (e) {
      if (!(e instanceof JetStreamApiError && e.code === JetStreamApiCodes.StreamNotFound)) throw e;
      await jsm.streams.add(streamConfig(this.cfg));
      this.log.info(
        { stream, subjects: `${subjectPrefix}.>`, duplicateWindowMs: DUPLICATE_WINDOW_MS },
        'NATS stream created',
      );
    }
  }

  /** Logs disconnects and reconnects; forgets a connection that closed for good (the next publish connects again). */
  private watch(nc: NatsConnection): void {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect')
          this.log.warn({ server: s.server }, 'NATS relay disconnected; reconnecting');
        else if (s.type === 'reconnect') this.log.info({ server: s.server }, 'NATS relay reconnected');
      }
    })().catch(() => undefined);
    void nc.closed().then((err) => {
      if (this.nc === nc) {
        this.nc = undefined;
        this.js = undefined;
      }
      if (err) this.log.warn({ err }, 'NATS relay connection closed');
    });
  }

  /**
   * Publishes the events in order on one connection (pipelined: all are sent before the first ack is
   * awaited) and returns each outcome. The event id is the message id, so JetStream stores an event
   * once even when it is published again within the duplicate window.
   */
  async publish(events: readonly EventEnvelope[]): Promise<PromiseSettledResult<PubAck>[]> {
    const js = await this.client();
    const { stream, subjectPrefix } = this.cfg;
    return Promise.allSettled(
      events.map((e) => {
        const h = headers();
        h.set('Plaza-Event-Id', e.id);
        h.set('Plaza-Event-Type', e.type);
        h.set('Plaza-Occurred-At', e.occurredAt.toISOString());
        h.set('Content-Type', 'application/json');
        return js.publish(subjectFor(subjectPrefix, e.type), eventJson(e), {
          msgID: e.id,
          headers: h,
          expect: { streamName: stream },
          timeout: ACK_TIMEOUT_MS,
        });
      }),
    );
  }

  async close(): Promise<void> {
    const nc = this.nc;
    this.nc = undefined;
    this.js = undefined;
    await nc?.drain().catch(() => undefined);
  }
}
