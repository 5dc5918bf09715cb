/**
 * Every UI string goes through i18n, in English, Arabic and Korean: each message folder of web/ has
 * the three files with the same keys and placeholders, the Arabic and Korean ones are translations
 * (in their script), and no .tsx file writes visible English text outside the message files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB = join(import.meta.dirname, '..', 'web');
const LANGS = ['en', 'ar', 'ko'] as const;

const walk = (dir: string, out: string[] = []): string[] => {
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
};

const flatten = (v: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> => {
  if (typeof v === 'string') out[prefix] = v;
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  else out[prefix] = String(v);
  return out;
};

const files = walk(WEB);
const messageDirs = [...new Set(files.filter((f) => /\/i18n\/en\.json$/.test(f)).map((f) => join(f, '..')))];
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('UI messages', () => {
  it('finds the message folders of the kit and the three apps', () => {
    const rel = messageDirs.map((d) => relative(WEB, d));
    for (const d of ['kit/i18n', 'console/i18n', 'shop/i18n', 'pos/i18n']) expect(rel).toContain(d);
  });

  for (const dir of messageDirs) {
    it(`${relative(WEB, dir)}: en, ar and ko have the same keys and placeholders, translated`, () => {
      const msgs = Object.fromEntries(
        LANGS.map((l) => [l, flatten(JSON.parse(readFileSync(join(dir, `${l}.json`), 'utf8')))]),
      ) as Record<(typeof LANGS)[number], Record<string, string>>;
      // i18next plural forms differ by language (Arabic has six, Korean one): compare base keys
      const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');
      const bases = (l: (typeof LANGS)[number]) => [...new Set(Object.keys(msgs[l]).map(base))].sort();
      const forms = (l: (typeof LANGS)[number], b: string) =>
        Object.keys(msgs[l]).filter((k) => base(k) === b);
      const keys = Object.keys(msgs.en).sort();
      expect(keys.length).toBeGreaterThan(0);
      for (const l of ['ar', 'ko'] as const) {
        expect(bases(l), `${l} keys`).toEqual(bases('en'));
        for (const b of bases('en')) {
          const enPh = placeholders(msgs.en[forms('en', b).find((k) => k.endsWith('_other')) ?? b] ?? '');
          for (const k of forms(l, b)) {
            expect(msgs[l][k]?.trim(), `${l}:${k} is empty`).toBeTruthy();
            const ph = placeholders(msgs[l][k] ?? '').filter((p) => p !== 'count');
            const want = enPh.filter((p) => p !== 'count');
            // the zero/one/two/few/many forms may say the number in words (Arabic); the rest may not drop any
            if (k !== b && !k.endsWith('_other'))
              expect(
                ph.every((p) => want.includes(p)),
                `${l}:${k} placeholders`,
              ).toBe(true);
            else expect(ph, `${l}:${k} placeholders`).toEqual(want);
          }
        }
      }
      // translations, not copies: most Arabic values are in Arabic script, most Korean ones in Hangul
      const share = (l: 'ar' | 'ko', re: RegExp) =>
        keys.filter((k) => re.test(msgs[l][k] ?? '')).length / keys.length;
      expect(share('ar', /[\u0600-\u06FF]/), 'Arabic share').toBeGreaterThanOrEqual(0.7);
      expect(share('ko', /[\uAC00-\uD7AF]/), 'Korean share').toBeGreaterThanOrEqual(0.6);
    });
  }

  it('no .tsx file writes English text outside the message files', () => {
    const offenders: string[] = [];
    for (const f of files.filter((x) => x.endsWith('.tsx'))) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const t = line.trim();
          // a JSX text child on its own line (Biome puts them there), or a literal label attribute
          const text =
            /^[A-Za-z][A-Za-z ,.'!?-]*[A-Za-z.!?]$/.test(t) &&
            /\s|^[A-Z]/.test(t) &&
            !/^(return|export|import|const|let|type|interface|default|case|else|break|continue)\b/.test(t);
          // (values without a capital or a space are ids or examples, such as placeholder="ord_…")
          const attr =
            /\b(aria-label|placeholder|title|alt|label)="(?=[^"]*[A-Z ])[^"{]*[A-Za-z]{2,}[^"]*"/.test(t);
          if (text || attr) offenders.push(`${relative(WEB, f)}:${i + 1}: ${t}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
