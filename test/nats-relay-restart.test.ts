/**
 * The NATS server dies under the relay (issue 16): a private nats-server (its own port and store; the
 * shared one is never stopped) is SIGKILLed while the relay, a real worker job, publishes, and started
 * again a moment later. Events keep arriving meanwhile. The relay logs the outage once, keeps every
 * event in the outbox, reconnects, and the stream ends with every event exactly once. Skipped, saying
 * why, without the nats-server binary.
 */
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/log.ts';
import { writeEvents } from '../src/platform/outbox/events.ts';
import { natsRelayJobs } from '../src/platform/outbox/nats-relay.ts';
import { createTestDb } from '../src/platform/testing.ts';
import { Worker } from '../src/platform/worker.ts';
import {
  natsConnect,
  natsServerBin,
  type PrivateNats,
  readStream,
  startPrivateNats,
  streamCount,
} from './support/nats.ts';

const EVENTS = 600;
const bin = natsServerBin();
const why = bin ? undefined : 'no nats-server binary (set PLAZA_NATS_SERVER_BIN or install nats-server)';
if (why) console.warn(`\n*** NATS restart test SKIPPED: ${why} ***\n`);

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const waitFor = async (what: string, ok: () => Promise<boolean>, timeoutMs: number) => {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
};

describe.skipIf(why !== undefined)(
  `the NATS server restarts under the relay${why ? ` (SKIPPED: ${why})` : ''}`,
  () => {
    it(`reconnects and relays all ${EVENTS} events exactly once`, async () => {
      const began = Date.now();
      const nats: PrivateNats = await startPrivateNats(bin as string);
      cleanup.push(() => nats.destroy());
      const tdb = await createTestDb();
      cleanup.push(() => tdb.drop());
      const lines: string[] = [];
      const log = createLogger(
        'info',
        'plaza',
        new Writable({
          write(chunk, _enc, done) {
            lines.push(chunk.toString());
            done();
          },
        }),
      );
      const config = loadConfig({ PLAZA_NATS_URL: nats.url });
      const worker = new Worker(tdb.db, log, natsRelayJobs({ db: tdb.db, clock: systemClock, log, config }));
      await worker.start();
      cleanup.push(() => worker.stop());

      const written: string[] = [];
      const write = async (n: number) => {
        for (let i = 0; i < n; i += 20) {
          written.push(
            ...(await tdb.db.tx((tx) =>
              writeEvents(
                tx,
                systemClock,
                Array.from({ length: 20 }, (_, k) => ({
                  type: 'relay.restart_test',
                  data: { n: written.length + k },
                })),
              ),
            )),
          );
          await sleep(5);
        }
      };
      const reader = await natsConnect(nats.url);
      await write(EVENTS / 3);
      await waitFor(
        'the first events in the stream',
        async () => (await streamCount(reader, 'PLAZA')) >= 100,
        30_000,
      );
      await reader.close();

      await nats.kill();
      const downAt = Date.now();
      await write(EVENTS / 3); // written while NATS is away: they wait in the outbox
      await sleep(6000); // longer than a publish waits for its ack: the relay sees the outage
      await nats.start();
      const upAt = Date.now();
      await write(EVENTS / 3);

      const marked = async () =>
        Number(
          (
            await tdb.db.query<{ n: number }>(
              `SELECT count(*) AS n FROM consumed_events WHERE consumer = 'nats:PLAZA'`,
            )
          ).rows[0]?.n,
        );
      await waitFor('every event relayed', async () => (await marked()) === EVENTS, 90_000);
      const caughtUp = Date.now();
      await worker.stop();

      const nc = await natsConnect(nats.url);
      const messages = await readStream(nc, 'PLAZA');
      await nc.close();
      const ids = messages.map((m) => m.msgId);
      process.stdout.write(
        `nats-relay-restart: ${EVENTS} events; NATS down ${((upAt - downAt) / 1000).toFixed(1)} s, all relayed ` +
          `${((caughtUp - upAt) / 1000).toFixed(1)} s after it was back; stream holds ${messages.length} messages, ` +
          `${new Set(ids).size} distinct ids; ${((Date.now() - began) / 1000).toFixed(1)} s\n`,
      );
      expect(new Set(written).size).toBe(EVENTS);
      expect(ids.slice().sort()).toEqual(written.slice().sort());
      expect(lines.filter((l) => l.includes('NATS relay cannot publish'))).toHaveLength(1);
      expect(lines.some((l) => l.includes('NATS relay publishes again'))).toBe(true);
    }, 120_000);
  },
);
