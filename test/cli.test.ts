import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createPostgresDatabase, testBackend } from '../src/platform/testing.ts';
import { http, runPlaza, startPlaza, TEST_ADMIN_TOKEN } from './support/processes.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'plaza-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// Real processes, several per test: give them time on a loaded 2-core machine.
vi.setConfig({ testTimeout: 240_000 });

const onPglite = testBackend() === 'pglite';
const onPostgres = testBackend() === 'postgres';
const noToken = { PLAZA_ADMIN_TOKEN: '' };

const channelNames = async (url: string, token: string) =>
  (
    await http<{ data: { name: string }[] }>(url, 'GET', '/admin/channels?limit=100', { token })
  ).body.data.map((c) => c.name);

// Each fresh embedded data folder costs a process start, an initdb and a full migration: the tests below
// share two server lives (and two data folders) instead of one per behaviour.
describe.runIf(onPglite)('plaza start on the embedded database', () => {
  it('first start (URL, docs, one-time admin token, demo), control channel, SIGTERM mid-request, restart keeps data', async () => {
    const dir = tempDir();
    const control = join(dir, 'plaza.control');
    const first = await startPlaza({ PLAZA_DATA_DIR: dir, PLAZA_DEMO: undefined, ...noToken });
    let token: string;
    let cliToken: string;
    try {
      // First start: banner, one-time admin token, the demo retailer.
      const out = first.output();
      expect(out).toContain(`API docs:    ${first.url}/docs`);
      token = /Admin token: (plz_at_\S+)/.exec(out)?.[1] as string;
      expect(token).toBeTruthy();
      expect(out).toMatch(/Demo retailer "Plaza Outfitters"/);
      const webKey = /web\s+Plaza Outfitters Web\s+(pk_\S+)/.exec(out)?.[1] as string;
      expect((await http(first.url, 'GET', '/store/channel', { key: webKey })).status).toBe(200);
      expect((await channelNames(first.url, token)).length).toBe(4);
      const created = await http<{ id: string }>(first.url, 'POST', '/admin/channels', {
        token,
        body: { type: 'marketplace', name: 'Marketplace X', currency: 'USD', locale: 'en-US' },
      });
      expect(created.status).toBe(201);

      // While it runs, the CLI reaches it through its local control channel.
      expect(statSync(control).mode & 0o777).toBe(0o600);
      const channel = await http<{ id: string }>(first.url, 'POST', '/admin/channels', {
        token,
        body: { type: 'web', name: 'Shop', currency: 'USD', locale: 'en' },
      });
      const pk = (
        await http<{ key: string }>(first.url, 'POST', `/admin/channels/${channel.body.id}/keys`, {
          token,
          body: {},
        })
      ).body.key;
      const tok = await runPlaza(['token', 'create', '--scope', 'admin'], { PLAZA_DATA_DIR: dir });
      expect(tok.stderr).toMatch(/Created admin token tok_/);
      expect(tok.code).toBe(0);
      cliToken = tok.stdout.trim();
      expect((await http(first.url, 'GET', '/admin/channels', { token: cliToken })).status).toBe(200);

      const keys = await runPlaza(['keys'], { PLAZA_DATA_DIR: dir });
      expect(keys.code).toBe(0);
      expect(keys.stdout).toMatch(new RegExp(`web\\s+Shop\\s+${pk}`));
      expect(keys.stdout).toContain(webKey);

      const ghost = await runPlaza(
        ['token', 'create', '--scope', 'staff', '--location', 'loc_01JAAAAAAAAAAAAAAAAAAAAAAA'],
        { PLAZA_DATA_DIR: dir },
      );
      expect(ghost.code).toBe(2);
      expect(ghost.stderr).toContain('location loc_01JAAAAAAAAAAAAAAAAAAAAAAA does not exist');

      const { port: controlPort } = JSON.parse(readFileSync(control, 'utf8')) as { port: number };
      const wrong = await fetch(`http://127.0.0.1:${controlPort}/keys`, {
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.status).toBe(401);
      chmodSync(control, 0o644); // a control file others can read is not trusted
      const loose = await runPlaza(['keys'], { PLAZA_DATA_DIR: dir });
      expect(loose.code).toBe(2);
      expect(loose.stderr).toContain('chmod 600');
      chmodSync(control, 0o600);

      // SIGTERM while a request is in flight: the request finishes, then the process exits 0.
      const body = JSON.stringify({ email: 'slow@example.com', password: 'a slow password' });
      const { port } = new URL(first.url);
      const answer = new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/store/customers',
            headers: {
              'content-type': 'application/json',
              'content-length': body.length,
              'x-plaza-channel-key': pk,
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10)); // the request is in flight…
        setTimeout(() => {
          first.proc.kill('SIGTERM'); // …when the server is asked to stop…
          setTimeout(() => req.end(body.slice(10)), 500); // …and completes afterwards.
        }, 300);
      });
      expect(await answer).toBe(201);
      expect(await first.stop()).toBe(0);
    } finally {
      await first.stop('SIGKILL');
    }
    expect(existsSync(control)).toBe(false);

    // Restart on the same folder: no new admin token, no second demo, the data (and both tokens) kept.
    const second = await startPlaza({ PLAZA_DATA_DIR: dir, PLAZA_DEMO: undefined, ...noToken });
    try {
      expect(second.output()).not.toMatch(/Admin token: plz_at_/);
      const names = await channelNames(second.url, token);
      expect(names).toContain('Marketplace X');
      expect(names.length).toBe(6); // 4 demo channels + Marketplace X + Shop: the demo is not loaded twice
      expect((await http(second.url, 'GET', '/admin/channels', { token: cliToken })).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});

describe.runIf(onPostgres)('plaza on a PostgreSQL server', () => {
  it('never seeds a PostgreSQL database implicitly and keeps data across restarts', async () => {
    const db = await createPostgresDatabase();
    try {
      const first = await startPlaza({ DATABASE_URL: db.url, PLAZA_DEMO: '1' });
      expect(first.output()).not.toContain('Demo retailer');
      expect(await channelNames(first.url, TEST_ADMIN_TOKEN)).toEqual([]);
      await http(first.url, 'POST', '/admin/channels', {
        token: TEST_ADMIN_TOKEN,
        body: { type: 'web', name: 'Persisted', currency: 'EUR', locale: 'de-DE' },
      });
      expect(await first.stop()).toBe(0);
      const second = await startPlaza({ DATABASE_URL: db.url });
      expect(await channelNames(second.url, TEST_ADMIN_TOKEN)).toEqual(['Persisted']);
      const ready = await http(second.url, 'GET', '/ready');
      expect(ready.body).toEqual({ status: 'ready', database: 'postgres' });
      await second.stop();
    } finally {
      await db.drop();
    }
  });

  it('migrates once when two processes start at the same time (advisory lock)', async () => {
    const db = await createPostgresDatabase();
    try {
      const [a, b] = await Promise.all([
        runPlaza(['migrate'], { DATABASE_URL: db.url }),
        runPlaza(['migrate'], { DATABASE_URL: db.url }),
      ]);
      expect([a.code, b.code]).toEqual([0, 0]);
      const applied = [a.stdout, b.stdout].filter((s) => s.includes('Applied'));
      expect(applied).toHaveLength(1);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query(
        'SELECT version, count(*)::int AS n FROM plaza_migrations GROUP BY version',
      );
      await client.end();
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.n).toBe(1);
    } finally {
      await db.drop();
    }
  });
});
