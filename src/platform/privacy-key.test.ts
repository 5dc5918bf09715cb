import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlaza } from '../../test/support/processes.ts';
import { ConfigError, loadConfig } from './config.ts';
import { KEY_FILE, LEGACY_PEPPER_SETTING, requirePrivacyKey, resolvePrivacyKey } from './privacy-key.ts';
import { getSetting } from './settings.ts';
import { createTestDb, type TestDb } from './testing.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.drop());

const KEY = 'k'.repeat(40);
const dir = () => mkdtempSync(join(tmpdir(), 'plaza-key-'));

describe('privacy key outside the database', () => {
  it('is required with a PostgreSQL server, with a message that says how to make one', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' });
    expect(() => requirePrivacyKey(config)).toThrow(ConfigError);
    expect(() => requirePrivacyKey(config)).toThrow(/PLAZA_PRIVACY_KEY is required.*randomBytes/);
    expect(() => requirePrivacyKey({ ...config, privacyPepper: KEY })).not.toThrow();
    // The command line refuses to start, before connecting anywhere.
    const r = await runPlaza(['migrate'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x',
      PLAZA_PRIVACY_KEY: '',
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/PLAZA_PRIVACY_KEY is required/);
  });

  it('is created once in the embedded data folder, readable by its owner only, and kept', async () => {
    const dataDir = dir();
    const config = { ...loadConfig({ PLAZA_DATA_DIR: dataDir }), dataDir };
    const a = await resolvePrivacyKey(config, t.db);
    expect(a.privacyPepper).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect((await resolvePrivacyKey(config, t.db)).privacyPepper).toBe(a.privacyPepper);
    expect((await resolvePrivacyKey({ ...config, privacyPepper: KEY }, t.db)).privacyPepper).toBe(KEY);
  });

  it('moves a pepper kept in the database by an earlier version out of it', async () => {
    const dataDir = dir();
    const legacy = 'legacy-pepper-kept-in-the-database-0123456789';
    await t.db.query(`INSERT INTO plaza_settings (key, value) VALUES ($1, $2::jsonb)`, [
      LEGACY_PEPPER_SETTING,
      JSON.stringify(legacy),
    ]);
    const other = { ...loadConfig({}), dataDir, privacyPepper: KEY };
    await expect(resolvePrivacyKey(other, t.db)).rejects.toThrow(/differs from PLAZA_PRIVACY_KEY/);
    const moved = await resolvePrivacyKey({ ...loadConfig({}), dataDir }, t.db);
    expect(moved.privacyPepper).toBe(legacy);
    expect(readFileSync(join(dataDir, KEY_FILE), 'utf8').trim()).toBe(legacy);
    expect(await getSetting(t.db, LEGACY_PEPPER_SETTING)).toBeUndefined();
  });
});
