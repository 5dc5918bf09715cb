import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { hashPassword, verifyPassword } from './crypto.ts';
import { newId, randomCode, ulid } from './ids.ts';
import { allocate, formatMoney, isCurrency, minorUnitDigits } from './money.ts';

describe('ids', () => {
  it('are prefixed, 26-char ULIDs, unique and sortable in creation order', () => {
    const ids = Array.from({ length: 2000 }, () => newId('ord'));
    expect(ids[0]).toMatch(/^ord_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ulid(1_700_000_000_000) < ulid(1_700_000_000_001)).toBe(true);
  });

  it('makes codes from an alphabet without look-alike characters', () => {
    const code = randomCode(1000);
    expect(code).toHaveLength(1000);
    expect(code).not.toMatch(/[01ILO]/);
  });
});

describe('money', () => {
  it('knows ISO 4217 codes and their minor units', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('XYZ')).toBe(false);
    expect(isCurrency('eur')).toBe(false);
    expect(minorUnitDigits('USD')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('KWD')).toBe(3);
    expect(formatMoney(1999, 'USD', 'en-US')).toBe('$19.99');
    expect(formatMoney(1999, 'KRW', 'ko-KR')).toBe('₩1,999');
  });

  it('allocates exactly: parts sum to the total and follow the weights within one unit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0);
          if (sum > 0) {
            parts.forEach((p, i) => {
              expect(Math.abs(p - (total * (weights[i] ?? 0)) / sum)).toBeLessThan(1);
            });
          }
        },
      ),
    );
  });
});

describe('config', () => {
  it('has sensible defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      demo: true,
      workers: true,
    });
    expect(c.dataDir).toMatch(/\.plaza$/);
  });

  it('refuses bad values with a clear message', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be an integer between 0 and 65535/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/postgres:\/\//);
    expect(() => loadConfig({ PLAZA_ADMIN_TOKEN: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ PLAZA_DEMO: 'maybe' })).toThrow(/PLAZA_DEMO/);
    expect(loadConfig({ PLAZA_DEMO: '0', PORT: '8080' })).toMatchObject({ demo: false, port: 8080 });
    expect(loadConfig({ PLAZA_DEMO_HISTORY: '0' })).toMatchObject({ demo: true, demoHistory: false });
    expect(() => loadConfig({ PLAZA_DEMO_HISTORY: 'later' })).toThrow(/PLAZA_DEMO_HISTORY/);
  });
});

describe('passwords', () => {
  it('verify only the right password', async () => {
    const h = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterz', h)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});
