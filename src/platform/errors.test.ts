import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.ts';

const documented = (): Map<string, number> => {
  const md = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...md.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)];
  return new Map(rows.map((m) => [m[1] as string, Number(m[2])]));
};

describe('error codes', () => {
  it('docs/errors.md lists exactly the codes in the code, with the same HTTP status', () => {
    const docs = documented();
    const code = new Map(Object.entries(ERROR_CODES).map(([k, v]) => [k, v.status]));
    expect([...docs.keys()].sort()).toEqual([...code.keys()].sort());
    for (const [k, status] of code) expect(docs.get(k), k).toBe(status);
  });
});
