import { Writable } from 'node:stream';
import { jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  deleteStream,
  freshStreamName,
  natsConnect,
  natsProblem,
  readStream,
  streamCount,
  TEST_NATS_URL,
} from '../../../test/support/nats.ts';
import { TestClock } from '../clock.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger, silentLogger } from '../log.ts';
import { createTestDb, type TestDb } from '../testing.ts';
import { writeEvents } from './events.ts';
import { connectionOptions, coversPrefix, MIN_DUPLICATE_WINDOW_MS, subjectFor } from './nats-link.ts';
import { NatsRelay } from './nats-relay.ts';
import { eventJson } from './payload.ts';

const natsSkipped = await natsProblem();
if (natsSkipped) console.warn(`\n*** NATS relay tests SKIPPED: ${natsSkipped} ***\n`);

/** A logger whose lines the test reads. */
const capturedLog = () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger('info', 'plaza', sink), lines };
};

/** Runs rounds until one relays nothing; returns how many were relayed. */
const drain = async (relay: NatsRelay): Promise<number> => {
  let total = 0;
  for (let n = await relay.runOnce(); n > 0; n = await relay.runOnce()) total += n;
  return total;
};

describe('NATS relay configuration', () => {
  it('is off without PLAZA_NATS_URL, with defaults otherwise, and refuses bad values clearly', () => {
    expect(loadConfig({}).nats).toBeUndefined();
    expect(loadConfig({ PLAZA_NATS_URL: 'nats://127.0.0.1:4222' }).nats).toEqual({
      servers: ['nats://127.0.0.1:4222'],
      stream: 'PLAZA',
      subjectPrefix: 'plaza.events',
    });
    expect(() => loadConfig({ PLAZA_NATS_URL: 'http://x:4222' })).toThrow(ConfigError);
    expect(() => loadConfig({ PLAZA_NATS_URL: 'nats://a:4222', PLAZA_NATS_STREAM: 'a.b' })).toThrow(
      /PLAZA_NATS_STREAM/,
    );
    expect(() =>
      loadConfig({ PLAZA_NATS_URL: 'nats://a:4222', PLAZA_NATS_SUBJECT_PREFIX: 'plaza.*' }),
    ).toThrow(/without wildcards/);
  });

  it('hands nats.js host:port servers and the credentials of the URL', () => {
    const o = connectionOptions({
      servers: ['nats://relay:s%40cret@n1.example:4223', 'tls://n2.example'],
      stream: 'PLAZA',
      subjectPrefix: 'plaza.events',
    });
    expect(o).toMatchObject({
      servers: ['n1.example:4223', 'n2.example:4222'],
      user: 'relay',
      pass: 's@cret',
    });
    expect(o.tls).toEqual({});
    expect(connectionOptions({ servers: ['nats://tok@h:1'], stream: 'S', subjectPrefix: 'p' }).token).toBe(
      'tok',
    );
  });

  it('maps event types to subjects and knows which stream subjects take the prefix', () => {
    expect(subjectFor('plaza.events', 'order.placed')).toBe('plaza.events.order.placed');
    expect(subjectFor('p', 'odd type..x>')).toBe('p.odd_type._.x_');
    expect(coversPrefix('plaza.events.>', 'plaza.events')).toBe(true);
    expect(coversPrefix('plaza.>', 'plaza.events')).toBe(true);
    expect(coversPrefix('>', 'plaza.events')).toBe(true);
    expect(coversPrefix('*.events.>', 'plaza.events')).toBe(true);
    expect(coversPrefix('plaza.events.*', 'plaza.events')).toBe(false);
    expect(coversPrefix('plaza.events', 'plaza.events')).toBe(false);
    expect(coversPrefix('plaza.other.>', 'plaza.events')).toBe(false);
  });
});

describe('NATS relay without a server', () => {
  let tdb: TestDb;
  beforeAll(async () => {
    tdb = await createTestDb();
  });
  afterAll(() => tdb.drop());

  it('keeps the events, backs off and logs the outage once; the process goes on', async () => {
    const clock = new TestClock(new Date());
    await tdb.db.tx((tx) => writeEvents(tx, clock, [{ type: 'test.kept', data: {} }]));
    const { log, lines } = capturedLog();
    const relay = new NatsRelay({
      db: tdb.db,
      clock,
      log,
      nats: { servers: ['nats://127.0.0.1:1'], stream: 'PLAZA', subjectPrefix: 'plaza.events' },
    });
    expect(await relay.runOnce()).toBe(0);
    expect(await relay.runOnce()).toBe(0); // waiting for the retry: no second attempt, no second line
    const warnings = lines.filter((l) => l.includes('NATS relay cannot publish'));
    expect(warnings).toHaveLength(1);
    const { rows } = await tdb.db.query('SELECT 1 FROM consumed_events WHERE consumer = $1', [
      relay.consumer,
    ]);
    expect(rows).toHaveLength(0);
    await relay.stop();
  });
});

describe.skipIf(natsSkipped !== undefined)(
  `NATS relay against ${TEST_NATS_URL}${natsSkipped ? ` (SKIPPED: ${natsSkipped})` : ''}`,
  () => {
    let tdb: TestDb;
    const streams: string[] = [];
    beforeAll(async () => {
      tdb = await createTestDb();
    });
    // a relay to a new stream relays the whole outbox: each test starts from an empty one
    beforeEach(async () => {
      await tdb.db.query('DELETE FROM consumed_events');
      await tdb.db.query('DELETE FROM outbox_events');
    });
    afterAll(async () => {
      const nc = await natsConnect();
      for (const s of streams) await deleteStream(nc, s);
      await nc.close();
      await tdb.drop();
    });

    const relayFor = (stream: string, clock = new TestClock(new Date())) =>
      new NatsRelay({
        db: tdb.db,
        clock,
        log: silentLogger(),
        nats: { servers: [TEST_NATS_URL], stream, subjectPrefix: `plaza.t${stream.slice(-6).toLowerCase()}` },
        batchSize: 7,
      });

    it('publishes the events of committed changes once each, in outbox order, with their ids as message ids', async () => {
      const stream = freshStreamName('one');
      streams.push(stream);
      const clock = new TestClock(new Date());
      const relay = relayFor(stream, clock);
      // a change and its events commit together; a rolled-back change leaves no event to relay
      const ids = await tdb.db.tx(async (tx) => {
        await tx.query(`INSERT INTO plaza_settings (key, value) VALUES ('test.nats', '1')`);
        return writeEvents(
          tx,
          clock,
          Array.from({ length: 20 }, (_, i) => ({
            type: i % 2 ? 'order.placed' : 'cart.updated',
            data: { n: i },
          })),
        );
      });
      await expect(
        tdb.db.tx(async (tx) => {
          await writeEvents(tx, clock, [{ type: 'order.never', data: {} }]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await drain(relay)).toBe(20);

      const nc = await natsConnect();
      try {
        const messages = await readStream(nc, stream);
        expect(messages.map((m) => m.msgId)).toEqual(ids);
        const { rows } = await tdb.db.query<{
          id: string;
          type: string;
          data: Record<string, unknown>;
          occurred_at: Date;
        }>('SELECT id, type, data, occurred_at FROM outbox_events WHERE id = ANY($1) ORDER BY seq', [ids]);
        const prefix = `plaza.t${stream.slice(-6).toLowerCase()}`;
        for (const [i, m] of messages.entries()) {
          const row = rows[i];
          if (!row) throw new Error('missing outbox row');
          expect(m.subject).toBe(`${prefix}.${row.type}`);
          expect(m.headers).toMatchObject({
            'Plaza-Event-Id': row.id,
            'Plaza-Event-Type': row.type,
            'Plaza-Occurred-At': row.occurred_at.toISOString(),
          });
          // the body is the webhook body, byte for byte
          expect(JSON.stringify(m.body)).toBe(
            eventJson({ id: row.id, type: row.type, occurredAt: row.occurred_at, data: row.data }),
          );
        }
        const info = await (await jetstreamManager(nc)).streams.info(stream);
        expect(info.config.subjects).toEqual([`${prefix}.>`]);
        expect(info.config.duplicate_window).toBeGreaterThanOrEqual(nanos(MIN_DUPLICATE_WINDOW_MS));

        // every event is marked for this consumer; nothing is left to relay
        const marked = await tdb.db.query('SELECT event_id FROM consumed_events WHERE consumer = $1', [
          relay.consumer,
        ]);
        expect(marked.rows).toHaveLength(20);
        expect(await relay.runOnce()).toBe(0);

        // the marks lost (a crash between the ack and the mark): the events are published again and
        // JetStream keeps one copy of each
        await tdb.db.query('DELETE FROM consumed_events WHERE consumer = $1', [relay.consumer]);
        await tdb.db.query(`DELETE FROM plaza_settings WHERE key = $1`, [`outbox.relay:${relay.consumer}`]);
        await relay.stop();
        const again = relayFor(stream, clock);
        expect(await drain(again)).toBe(20);
        expect(await streamCount(nc, stream)).toBe(20);
        await again.stop();
      } finally {
        await nc.close();
      }
    });

    it('lets one relay publish at a time; another takes over when the lease runs out', async () => {
      const stream = freshStreamName('lease');
      streams.push(stream);
      const clock = new TestClock(new Date());
      const a = relayFor(stream, clock);
      const b = relayFor(stream, clock);
      await tdb.db.tx((tx) => writeEvents(tx, clock, [{ type: 'test.a', data: {} }]));
      expect(await a.runOnce()).toBe(1);
      await tdb.db.tx((tx) => writeEvents(tx, clock, [{ type: 'test.b', data: {} }]));
      expect(await b.runOnce()).toBe(0); // a holds the lease
      clock.advance(11_000); // a died: its lease runs out
      expect(await b.runOnce()).toBe(1);
      expect(await a.runOnce()).toBe(0);
      await Promise.all([a.stop(), b.stop()]);
      const nc = await natsConnect();
      expect((await readStream(nc, stream)).map((m) => m.body.type)).toEqual(['test.a', 'test.b']);
      await nc.close();
    });

    it('refuses an existing stream that does not take its subjects, and says so', async () => {
      const stream = freshStreamName('wrong');
      streams.push(stream);
      const nc = await natsConnect();
      await (await jetstreamManager(nc)).streams.add({
        name: stream,
        subjects: [`other${stream.slice(-6)}.>`],
      });
      await nc.close();
      await tdb.db.tx((tx) => writeEvents(tx, new TestClock(new Date()), [{ type: 'test.c', data: {} }]));
      const { log, lines } = capturedLog();
      const relay = new NatsRelay({
        db: tdb.db,
        clock: new TestClock(new Date()),
        log,
        nats: { servers: [TEST_NATS_URL], stream, subjectPrefix: 'plaza.events' },
      });
      expect(await relay.runOnce()).toBe(0);
      expect(lines.join('')).toContain(`NATS stream ${stream} exists but does not take plaza.events.>`);
      await relay.stop();
    });
  },
);
