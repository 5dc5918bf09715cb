import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { testBackend } from '../src/platform/testing.ts';
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

const channelNames = async (url: string, token: string) =>
  (
    await http<{ data: { name: string }[] }>(url, 'GET', '/admin/channels?limit=100', { token })
  ).body.data.map((c) => c.name);

// The commands around the server (migrate, token, seed, the single-process lock), apart from
// cli.test.ts so that the two run on both test workers at once.
describe.runIf(onPglite)('plaza commands on the embedded database', () => {
  it('migrates and creates tokens from the command line, starts empty with PLAZA_DEMO=0 and PLAZA_ADMIN_TOKEN, refuses a second process and a short token, seeds idempotently', async () => {
    const dir = tempDir();
    const [short, badScope] = await Promise.all([
      runPlaza(['start'], { PLAZA_DATA_DIR: tempDir(), PLAZA_ADMIN_TOKEN: 'short' }),
      runPlaza(['token', 'create', '--scope', 'root'], { PLAZA_DATA_DIR: dir }),
    ]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('PLAZA_ADMIN_TOKEN must be at least 32 characters');
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toContain('--scope must be admin or staff');

    const migrated = await runPlaza(['migrate'], { PLAZA_DATA_DIR: dir });
    expect(migrated.stdout).toMatch(/Applied \d+ migration\(s\): 0001_foundation/);
    expect((await runPlaza(['migrate'], { PLAZA_DATA_DIR: dir })).stdout).toContain('Database is up to date');

    const tok = await runPlaza(['token', 'create', '--scope', 'admin', '--name', 'ci'], {
      PLAZA_DATA_DIR: dir,
    });
    expect(tok.code).toBe(0);
    const token = tok.stdout.trim();
    expect(token).toMatch(/^plz_at_/);
    const ghost = await runPlaza(['token', 'create', '--scope', 'staff', '--location', 'loc_nowhere'], {
      PLAZA_DATA_DIR: dir,
    });
    expect(ghost.code).toBe(2);
    expect(ghost.stderr).toContain('location loc_nowhere does not exist');

    // `plaza migrate` does not count as the first start: with PLAZA_DEMO=0 the server starts empty.
    const p = await startPlaza({ PLAZA_DATA_DIR: dir, PLAZA_DEMO: '0' });
    try {
      expect(p.output()).toContain('Admin token: the one in PLAZA_ADMIN_TOKEN');
      expect(await channelNames(p.url, TEST_ADMIN_TOKEN)).toEqual([]);
      expect(await channelNames(p.url, token)).toEqual([]); // the token made offline works
      const second = await runPlaza(['migrate'], { PLAZA_DATA_DIR: dir });
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/Another Plaza process \(pid \d+\) is using the embedded database/);
    } finally {
      await p.stop();
    }

    const seed1 = await runPlaza(['seed', '--demo'], { PLAZA_DATA_DIR: dir });
    const seed2 = await runPlaza(['seed', '--demo'], { PLAZA_DATA_DIR: dir });
    expect(seed1.code).toBe(0);
    expect(seed2.stdout).toBe(seed1.stdout); // idempotent: same channels, same keys
    const seededKeys = seed1.stdout.match(/pk_\S+/g) ?? [];
    expect(seededKeys).toHaveLength(4);
    const keys = await runPlaza(['keys'], { PLAZA_DATA_DIR: dir }); // offline: reads the folder itself
    expect(keys.code).toBe(0);
    expect(keys.stdout.match(/pk_\S+/g)?.sort()).toEqual([...seededKeys].sort()); // 4 channels, not 8
  });
});
