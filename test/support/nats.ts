/**
 * NATS JetStream for the relay's tests: the server at PLAZA_TEST_NATS_URL (default 127.0.0.1:4222), a
 * probe that says why the tests are skipped when it is not there, and readers of a whole stream.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export const TEST_NATS_URL = process.env.PLAZA_TEST_NATS_URL || 'nats://127.0.0.1:4222';

const reachable = (host: string, port: number): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ host, port, timeout: 1000 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });

/** Why NATS tests cannot run here (no server, or one without JetStream), or undefined when they can. */
export const natsProblem = async (url = TEST_NATS_URL): Promise<string | undefined> => {
  const u = new URL(url);
  const port = Number(u.port || 4222);
  if (!(await reachable(u.hostname, port)))
    return `no NATS server at ${u.host} (set PLAZA_TEST_NATS_URL, or start nats-server -js)`;
  const nc = await connect({ servers: `${u.hostname}:${port}`, timeout: 2000 });
  try {
    await (await jetstreamManager(nc)).getAccountInfo();
    return undefined;
  } catch (e) {
    return `the NATS server at ${u.host} has no JetStream (${(e as Error).message})`;
  } finally {
    await nc.close();
  }
};

/** A stream name no other run uses. */
export const freshStreamName = (what: string): string =>
  `PLAZA_TEST_${what}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toUpperCase();

export interface StreamMessage {
  seq: number;
  subject: string;
  msgId: string | undefined;
  headers: Record<string, string>;
  body: { id: string; type: string; occurred_at: string; data: Record<string, unknown> };
}

export const natsConnect = (url = TEST_NATS_URL): Promise<NatsConnection> => {
  const u = new URL(url);
  return connect({ servers: `${u.hostname}:${u.port || 4222}`, timeout: 2000 });
};

/** How many messages the stream holds (0 when it does not exist yet). */
export const streamCount = async (nc: NatsConnection, stream: string): Promise<number> => {
  const jsm = await jetstreamManager(nc);
  try {
    return (await jsm.streams.info(stream)).state.messages;
  } catch {
    return 0;
  }
};

/** Every message of the stream, in stream order (read by sequence, 100 requests at a time). */
export const readStream = async (nc: NatsConnection, stream: string): Promise<StreamMessage[]> => {
  const jsm = await jetstreamManager(nc);
  const { state } = await jsm.streams.info(stream);
  const out: StreamMessage[] = [];
  for (let from = state.first_seq; from <= state.last_seq && state.messages > 0; from += 100) {
    const seqs = Array.from({ length: Math.min(100, state.last_seq - from + 1) }, (_, i) => from + i);
    const got = await Promise.all(seqs.map((seq) => jsm.streams.getMessage(stream, { seq })));
    for (const m of got) {
      if (!m) continue;
      const headers: Record<string, string> = {};
      for (const k of m.header?.keys() ?? []) headers[k] = m.header.get(k);
      out.push({
        seq: m.seq,
        subject: m.subject,
        msgId: m.header?.get('Nats-Msg-Id') || undefined,
        headers,
        body: m.json(),
      });
    }
  }
  return out;
};

/** Deletes the stream (ignores one that is already gone). */
export const deleteStream = async (nc: NatsConnection, stream: string): Promise<void> => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(stream).catch(() => false);
};

/** The nats-server binary for a private server (PLAZA_NATS_SERVER_BIN, else Debian's), or undefined. */
export const natsServerBin = (): string | undefined =>
  [
    process.env.PLAZA_NATS_SERVER_BIN,
    '/usr/sbin/nats-server',
    '/usr/bin/nats-server',
    '/usr/local/bin/nats-server',
  ].find((p): p is string => !!p && existsSync(p));

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });

export interface PrivateNats {
  url: string;
  /** Kills the server (SIGKILL: no goodbye to clients, JetStream recovers its files at the next start). */
  kill(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** A NATS server of the test's own (JetStream on, a temp store, a free port): the shared one is never stopped. */
export const startPrivateNats = async (bin: string): Promise<PrivateNats> => {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'plaza-nats-'));
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: 'ignore' });
    const end = Date.now() + 10_000;
    while (!(await reachable('127.0.0.1', port))) {
      if (Date.now() > end) throw new Error(`nats-server did not listen on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const kill = async () => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    kill,
    start,
    async destroy() {
      await kill();
      rmSync(store, { recursive: true, force: true });
    },
  };
};
