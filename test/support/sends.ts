/**
 * Fixtures of the send-ledger tests (issue 12): customers with consent, timezones and devices,
 * campaigns in status `sending`, and a real SMTP server (smtp-server) that records what it accepted.
 */
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Queryable } from '../../src/platform/db.ts';
import { newId } from '../../src/platform/ids.ts';

export interface CustomerSpec {
  email?: string | null;
  phone?: string | null;
  /** channels with a current marketing grant */
  consent?: string[];
  timezone?: string;
  locationId?: string;
  status?: 'active' | 'erased';
  restricted?: boolean;
}

let seq = 0;

/** Inserts customers (with their consent rows, timezone trait and devices) in a few statements. */
export const addCustomers = async (
  q: Queryable,
  specs: readonly CustomerSpec[],
  at = new Date(),
): Promise<string[]> => {
  const ids = specs.map(() => newId('cus'));
  const n = () => `${process.pid}-${++seq}`;
  await q.query(
    `INSERT INTO customers (id, email, phone, first_name, status, processing_restricted_at, erased_at,
       preferred_location_id, created_at, updated_at)
     SELECT u.id, u.email, u.phone, 'Ada', u.status, CASE WHEN u.restricted THEN $8::timestamptz END,
       CASE WHEN u.status = 'erased' THEN $8::timestamptz END, u.loc, $8, $8
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::int[])
       AS u (id, email, phone, status, restricted, loc, i) ORDER BY u.i`,
    [
      ids,
      specs.map((s) => (s.email === undefined ? `p${n()}@example.com` : s.email)),
      specs.map((s) => s.phone ?? null),
      specs.map((s) => s.status ?? 'active'),
      specs.map((s) => s.restricted ?? false),
      specs.map((s) => s.locationId ?? null),
      specs.map((_, i) => i),
      at,
    ],
  );
  const consents = specs.flatMap((s, i) => (s.consent ?? []).map((ch) => [ids[i] as string, ch]));
  if (consents.length)
    await q.query(
      `INSERT INTO consent_records (id, customer_id, purpose, channel, status, legal_basis, source, recorded_by, recorded_at)
       SELECT 'cns_' || md5(random()::text), u.c, 'marketing', u.ch, 'granted', 'consent', 'import', 'test', $3
       FROM unnest($1::text[], $2::text[]) AS u (c, ch)`,
      [consents.map((c) => c[0]), consents.map((c) => c[1]), new Date(at.getTime() - 60_000)],
    );
  const zones = specs.flatMap((s, i) => (s.timezone ? [[ids[i] as string, s.timezone]] : []));
  if (zones.length)
    await q.query(
      `INSERT INTO customer_traits (customer_id, key, value, observed_at, updated_at)
       SELECT u.c, 'timezone', to_jsonb(u.tz), $3, $3 FROM unnest($1::text[], $2::text[]) AS u (c, tz)`,
      [zones.map((z) => z[0]), zones.map((z) => z[1]), at],
    );
  return ids;
};

/** A device (FCM token or Web Push subscription) of a customer; returns its endpoint id. */
export const addEndpoint = async (
  q: Queryable,
  customerId: string,
  kind: 'fcm' | 'web_push',
  at = new Date(),
) => {
  const id = newId('mep');
  await q.query(
    `INSERT INTO message_endpoints (id, customer_id, kind, address, p256dh, auth, created_at, last_seen_at)
     VALUES ($1, $2, $3, $4, 'k', 'a', $5, $5)`,
    [id, customerId, kind, kind === 'fcm' ? `tok-${id}` : `https://push.example/${id}`, at],
  );
  return id;
};

export const addLocation = async (q: Queryable, timezone: string): Promise<string> => {
  const id = newId('loc');
  await q.query(
    `INSERT INTO locations (id, name, type, address_line1, city, country, timezone, created_at, updated_at)
     VALUES ($1, $2, 'store', '1 Main St', 'Town', 'US', $3, now(), now())`,
    [id, `Store ${id}`, timezone],
  );
  return id;
};

/** A campaign already in status `sending` (the planner's work is done by the test with enqueueSends). */
export const addCampaign = async (
  q: Queryable,
  o: {
    media?: string[];
    content?: Record<string, Record<string, string>>;
    throttle?: Record<string, number>;
    kind?: 'marketing' | 'transactional';
    status?: string;
    at?: Date;
  } = {},
): Promise<string> => {
  const id = newId('cmp');
  const content = o.content ?? {
    email: { subject: 'Hello {{ customer.first_name }}', html: '<p>Spring sale</p>', text: 'Spring sale' },
  };
  const at = o.at ?? new Date();
  await q.query(
    `INSERT INTO campaigns (id, name, status, kind, media, variants, throttle, created_at, updated_at, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)`,
    [
      id,
      `Campaign ${id}`,
      o.status ?? 'sending',
      o.kind ?? 'marketing',
      o.media ?? Object.keys(content),
      JSON.stringify([{ key: 'a', split: 100, content }]),
      JSON.stringify(o.throttle ?? {}),
      at,
    ],
  );
  return id;
};

export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  headers: Map<string, unknown>;
}

export interface TestSmtp {
  url: string;
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on a free port. Recipients starting with `bounce` are refused with 550 (a hard
 * bounce), those starting with `later` with 451 (temporary). `delayMs`: how long each message takes
 * to be accepted (it counts as received when the server answers 250).
 */
export const startSmtp = async (port?: number, delayMs = 0): Promise<TestSmtp> => {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('bounce'))
        return cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
      if (address.address.startsWith('later'))
        return cb(Object.assign(new Error('Try later'), { responseCode: 451 }));
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then(async (m) => {
          if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
          const to = Array.isArray(m.to) ? m.to[0]?.text : m.to?.text;
          received.push({
            messageId: m.messageId ?? '',
            to: to ?? '',
            subject: m.subject ?? '',
            headers: m.headers,
          });
          cb();
        })
        .catch((e: Error) => cb(e));
    },
  });
  // a client that dies mid-conversation (a killed worker) resets its connection: not an error here
  server.on('error', () => {});
  const chosen = port ?? (await freePort());
  await new Promise<void>((resolve) => server.listen(chosen, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://127.0.0.1:${chosen}`,
    port: chosen,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
