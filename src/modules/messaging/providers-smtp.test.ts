/** E-mail over SMTP: a real SMTP server (smtp-server) receives what the provider sends; mailparser reads it. */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/log.ts';
import { smtpProvider } from './providers/email-smtp.ts';
import type { MessageProvider, OutgoingMessage } from './types.ts';

const received: { mail: ParsedMail; raw: string; rcpt: string[] }[] = [];
let connections = 0;
let server: SMTPServer;
let port = 0;
let silent: Server;
let silentPort = 0;
const silentSockets: Socket[] = [];
const opened: MessageProvider[] = [];

const sendId = (n: number) => `msg_01JTEST${String(n).padStart(19, '0')}`;

const msg = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  sendId: sendId(1),
  medium: 'email',
  to: 'ada@example.com',
  customerId: 'cus_01JTEST0000000000000000000',
  marketing: true,
  subject: 'Running shoes, 20 % off',
  html: '<p>Hello <b>Ada</b></p>',
  text: 'Hello Ada',
  unsubscribeUrl: 'https://shop.example.com/t/u/tok123',
  tags: { campaign_id: 'cmp_1', variant: 'a' },
  ...over,
});

const provider = (o: Partial<Parameters<typeof smtpProvider>[0]> = {}) => {
  const p = smtpProvider({
    url: `smtp://127.0.0.1:${port}`,
    poolSize: 2,
    from: 'Plaza <shop@plaza.test>',
    dkim: undefined,
    timeoutMs: 2000,
    log: silentLogger(),
    ...o,
  });
  opened.push(p);
  return p;
};

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, cb) {
      connections++;
      cb();
    },
    onRcptTo(address, _session, cb) {
      const local = address.address.split('@')[0] ?? '';
      if (local === 'nobody')
        return cb(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      if (local === 'busy') return cb(Object.assign(new Error('4.2.1 Try later'), { responseCode: 451 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          mail: await simpleParser(raw),
          raw,
          rcpt: session.envelope.rcptTo.map((r) => r.address),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.server.address() as { port: number }).port;
  // a server that accepts connections and never says a word
  silent = createServer((s) => silentSockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as { port: number }).port;
});

afterAll(async () => {
  await Promise.all(opened.map((p) => p.close?.()));
  for (const s of silentSockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await new Promise<void>((r) => server.close(() => r()));
});

describe('SMTP provider', () => {
  it('sends marketing mail with Message-ID <sendId@plaza>, RFC 8058 headers, text and HTML parts', async () => {
    const p = provider();
    const r = await p.send(msg());
    expect(r).toEqual({ ok: true, provider: 'smtp', providerMessageId: `<${sendId(1)}@plaza>` });
    const got = received.find((x) => x.mail.messageId === `<${sendId(1)}@plaza>`);
    expect(got).toBeDefined();
    const mail = got?.mail as ParsedMail;
    expect(got?.rcpt).toEqual(['ada@example.com']);
    expect(mail.subject).toBe('Running shoes, 20 % off');
    expect(mail.text?.trim()).toBe('Hello Ada');
    expect(mail.html).toContain('<b>Ada</b>');
    expect(mail.from?.value).toEqual([{ name: 'Plaza', address: 'shop@plaza.test' }]);
    // mailparser folds List-* headers into its `list` header; the raw headers are exact
    expect(got?.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(mail.headers.get('list')).toMatchObject({
      unsubscribe: { url: 'https://shop.example.com/t/u/tok123' },
    });
    expect(got?.raw).toMatch(/^List-Unsubscribe: <https:\/\/shop\.example\.com\/t\/u\/tok123>\r$/m);
    expect(mail.headers.get('x-plaza-send-id')).toBe(sendId(1));
    expect(mail.headers.get('x-plaza-campaign-id')).toBe('cmp_1');
    expect(mail.headers.has('dkim-signature')).toBe(false);
  });

  it('leaves out the unsubscribe headers when the message has no unsubscribe URL (transactional)', async () => {
    const r = await provider().send(msg({ sendId: sendId(2), unsubscribeUrl: undefined, marketing: false }));
    expect(r.ok).toBe(true);
    const got = received.find((x) => x.mail.messageId === `<${sendId(2)}@plaza>`);
    expect(got?.raw).not.toMatch(/^List-Unsubscribe/im);
  });

  it('signs with DKIM, the key given as PEM text or as a file path, List-Unsubscribe-Post included', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const file = join(tmpdir(), `plaza-dkim-${process.pid}.pem`);
    writeFileSync(file, pem);
    for (const [n, key] of [
      [3, pem],
      [4, file],
    ] as const) {
      const p = provider({ dkim: { domain: 'plaza.test', selector: 's1', privateKey: key } });
      expect((await p.send(msg({ sendId: sendId(n) }))).ok).toBe(true);
      const got = received.find((x) => x.mail.messageId === `<${sendId(n)}@plaza>`);
      const sig = got?.raw.match(/^DKIM-Signature:.*(?:\r\n[ \t].*)*/m)?.[0] ?? '';
      expect(sig).toContain('d=plaza.test');
      expect(sig).toContain('s=s1');
      expect(sig.replace(/\s+/g, '').toLowerCase()).toContain('list-unsubscribe-post');
    }
    const broken = provider({
      dkim: { domain: 'plaza.test', selector: 's1', privateKey: '/nonexistent/key.pem' },
    });
    const r = await broken.send(msg({ sendId: sendId(5) }));
    expect(r).toMatchObject({ ok: false, permanent: false });
    expect(received.some((x) => x.mail.messageId === `<${sendId(5)}@plaza>`)).toBe(false);
  });

  it('pools connections: 12 messages at once use at most PLAZA_SMTP_POOL_SIZE connections', async () => {
    const before = connections;
    const p = provider({ poolSize: 3 });
    const rs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => p.send(msg({ sendId: sendId(100 + i) }))),
    );
    expect(rs.every((r) => r.ok)).toBe(true);
    expect(connections - before).toBeGreaterThan(0);
    expect(connections - before).toBeLessThanOrEqual(3);
    for (let i = 0; i < 12; i++)
      expect(received.some((x) => x.mail.messageId === `<${sendId(100 + i)}@plaza>`)).toBe(true);
  });

  it('a 550 for the recipient is a permanent bounce; a 451 is retried', async () => {
    const p = provider();
    const bad = await p.send(msg({ sendId: sendId(6), to: 'nobody@example.com' }));
    expect(bad).toMatchObject({ ok: false, provider: 'smtp', permanent: true, bounce: true });
    expect(bad.ok === false && bad.error).toContain('550');
    const busy = await p.send(msg({ sendId: sendId(7), to: 'busy@example.com' }));
    expect(busy).toMatchObject({ ok: false, permanent: false });
    expect(busy.ok === false && busy.bounce).toBeFalsy();
    // the pool still works after refusals
    expect((await p.send(msg({ sendId: sendId(8) }))).ok).toBe(true);
  });

  it('a server that never answers is a retryable failure after the timeout, not a hang', async () => {
    const p = provider({ url: `smtp://127.0.0.1:${silentPort}`, timeoutMs: 300 });
    const started = Date.now();
    const r = await p.send(msg({ sendId: sendId(9) }));
    expect(r).toMatchObject({ ok: false, permanent: false });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a refused connection is a retryable failure', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const r = await provider({ url: `smtp://127.0.0.1:${closedPort}`, timeoutMs: 1000 }).send(
      msg({ sendId: sendId(10) }),
    );
    expect(r).toMatchObject({ ok: false, permanent: false });
  });
});
