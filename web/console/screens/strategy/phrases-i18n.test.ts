/**
 * Every phrase the strategy model can emit (and every label its parameters name) has its message in
 * English, Arabic and Korean under `strategy.phrases`, with the model's placeholders; the English
 * message is the model's own template. A key the model adds without a translation fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PHRASES } from '../../../../src/modules/strategy/model/phrases.ts';

const LANGS = ['en', 'ar', 'ko'] as const;
const messages = Object.fromEntries(
  LANGS.map((l) => [l, JSON.parse(readFileSync(join(import.meta.dirname, 'i18n', `${l}.json`), 'utf8'))]),
) as Record<(typeof LANGS)[number], { phrases: unknown }>;

/** The message at a dotted key, as i18next finds it (nested objects). */
const at = (root: unknown, key: string): unknown =>
  key
    .split('.')
    .reduce<unknown>(
      (node, p) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[p] : undefined),
      root,
    );

const placeholders = (s: string, re: RegExp): string[] =>
  [...new Set([...s.matchAll(re)].map((m) => m[1] ?? ''))].sort();

describe('strategy phrases in the console', () => {
  const entries: [string, string][] = Object.entries(PHRASES);
  const keys = entries.map(([k]) => k);

  it('the model has phrases to translate', () => {
    expect(keys.length).toBeGreaterThan(50);
  });

  for (const l of LANGS)
    it(`${l}: every phrase key has a message with the template's placeholders`, () => {
      const missing = keys.filter((k) => typeof at(messages[l].phrases, k) !== 'string');
      expect(missing, `${l} lacks`).toEqual([]);
      const wrong = entries
        .filter(([k, template]) => {
          const message = String(at(messages[l].phrases, k));
          return (
            placeholders(message, /\{\{\s*(\w+)\s*\}\}/g).join() !==
            placeholders(template, /\{(\w+)\}/g).join()
          );
        })
        .map(([k]) => k);
      expect(wrong, `${l} placeholders differ`).toEqual([]);
    });

  it('English is the model’s own template (in i18next’s {{placeholder}} form)', () => {
    const differ = entries
      .filter(([k, template]) => at(messages.en.phrases, k) !== template.replace(/\{(\w+)\}/g, '{{$1}}'))
      .map(([k]) => k);
    expect(differ).toEqual([]);
  });

  it('keeps no message for a phrase the model no longer has', () => {
    const flat = (node: unknown, prefix = ''): string[] =>
      node && typeof node === 'object'
        ? Object.entries(node).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k))
        : [prefix];
    expect(flat(messages.en.phrases).filter((k) => !(k in PHRASES))).toEqual([]);
  });
});
