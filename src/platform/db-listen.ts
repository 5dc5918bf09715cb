import pg from 'pg';
import { loggableDbError } from './db-errors.ts';

interface Subscription {
  onPayload: (payload: string) => void;
  onReconnect?: () => void;
}

/** Backoff between reconnection attempts: 100 ms doubling up to 1 s, with jitter. */
export const listenBackoffMs = (attempt: number): number =>
  Math.min(100 * 2 ** attempt, 1000) * (0.75 + Math.random() * 0.5);

const quote = (channel: string): string => `"${channel.replace(/"/g, '')}"`;

/**
 * The one LISTEN connection of a process (PostgreSQL). All channels share it. When the connection is
 * lost (server restart, network), it reconnects with backoff, LISTENs to every channel again, and
 * then tells each subscriber that asked (`onReconnect`): notifications sent while it was away are
 * lost, so whatever depends on them (caches, live streams) must be forgotten or read again.
 */
export class PgListener {
  private client: pg.Client | undefined;
  private readonly channels = new Map<string, Set<Subscription>>();
  private connecting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private everConnected = false;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly onError: (e: Error) => void,
  ) {}

  /** True while the connection is up and listening. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  /**
   * Subscribes to `channel`. The first call connects (and throws if it cannot); later calls made while
   * the connection is down are kept and take effect when it comes back.
   */
  async listen(
    channel: string,
    onPayload: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>> {
    const sub: Subscription = { onPayload, onReconnect };
    let subs = this.channels.get(channel);
    const fresh = !subs;
    if (!subs) {
      subs = new Set();
      this.channels.set(channel, subs);
    }
    subs.add(sub);
    if (!this.everConnected) {
      try {
        await this.connect();
      } catch (e) {
        subs.delete(sub);
        if (subs.size === 0) this.channels.delete(channel);
        throw e;
      }
    } else if (fresh && this.client) {
      await this.client.query(`LISTEN ${quote(channel)}`).catch(() => undefined);
    }
    return async () => {
      subs.delete(sub);
      if (subs.size > 0 || this.channels.get(channel) !== subs) return;
      this.channels.delete(channel);
      await this.client?.query(`UNLISTEN ${quote(channel)}`).catch(() => undefined);
    };
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({
      ...this.config,
      application_name: 'plaza-listen',
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // Registered before connecting: an error at any time is handled, never an unhandled 'error' event.
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client, undefined));
    client.on('notification', (n) => {
      if (n.payload === undefined) return;
      for (const sub of this.channels.get(n.channel) ?? []) sub.onPayload(n.payload);
    });
    try {
      await client.connect();
      const channels = [...this.channels.keys()];
      if (channels.length) await client.query(channels.map((c) => `LISTEN ${quote(c)};`).join(' '));
    } catch (e) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    const reconnected = this.everConnected;
    this.everConnected = true;
    if (!reconnected) return;
    for (const subs of this.channels.values()) {
      for (const sub of subs) {
        try {
          sub.onReconnect?.();
        } catch (e) {
          this.onError(loggableDbError(e));
        }
      }
    }
  }

  private lost(client: pg.Client, e: Error | undefined): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.onError(loggableDbError(e ?? new Error('LISTEN connection ended; reconnecting')));
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect().catch(() => {
        this.attempt++;
        this.schedule();
      });
    }, listenBackoffMs(this.attempt));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.channels.clear();
    const client = this.client;
    this.client = undefined;
    await this.connecting?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }
}
