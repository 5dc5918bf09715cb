/**
 * The curl examples of README.md and docs/*.md run, in order, against a real `plaza start` on a fresh
 * embedded data folder with the demo data (test/support/doc-examples.ts says how). Any HTTP error an
 * example does not announce with `# → 409 CODE` fails its doc, and so does an announced error that
 * does not come. PGlite only: the examples show the API, not the backend (one server for all docs).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testBackend } from '../src/platform/testing.ts';
import { docScript, fencedBlocks, runDocScript, runnableBlocks, statements } from './support/doc-examples.ts';
import { type PlazaProcess, startPlaza } from './support/processes.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const RUN = DOCS.filter((f) => runnableBlocks(text(f)).length > 0);

describe('reading a bash block', () => {
  it('keeps quoted multi-line bodies and continued lines in one statement, with the marker after it', () => {
    const block = [
      "A=$(curl -sS -X POST $PLAZA/x -d '{",
      '  "a": 1 }\' | json .id)',
      'curl $PLAZA/y \\',
      '  -H "x: #1"   # not a marker',
      '# → 409 INSUFFICIENT_STOCK: "available": 0',
      '',
      'curl $PLAZA/z  # → 404',
    ].join('\n');
    expect(statements(block).map((s) => [s.line, s.expect])).toEqual([
      [1, ''],
      [3, '409 INSUFFICIENT_STOCK'],
      [7, '404'],
    ]);
  });
});

describe.runIf(testBackend() === 'pglite')('the curl examples of README.md and docs/*.md', () => {
  let plaza: PlazaProcess;
  let dir: string;
  let substitute: (markdown: string) => string;
  let setup: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plaza-docs-data-'));
    // As a newcomer runs it: the demo data, and the admin token printed on the first start.
    plaza = await startPlaza({ PLAZA_DATA_DIR: dir, PLAZA_DEMO: '1', PLAZA_ADMIN_TOKEN: '' }, 170_000);
    const out = plaza.output();
    const token = /Admin token: (plz_at_\S+)/.exec(out)?.[1];
    const webKey = /web\s+Plaza Outfitters Web\s+(pk_\S+)/.exec(out)?.[1];
    if (!token || !webKey) throw new Error(`no admin token or web key in the start banner:\n${out}`);
    const host = plaza.url.replace(/^http:\/\//, '');
    // The README's placeholders, and its address, become this server's.
    substitute = (md) =>
      md
        .replaceAll('http://127.0.0.1:9000', plaza.url)
        .replaceAll('localhost:9000', host)
        .replaceAll('<admin token>', token)
        .replaceAll('<pk_… of the web channel>', webKey);
    const readmeSetup = runnableBlocks(substitute(text('README.md'))).find((b) => /^PLAZA=/m.test(b.text));
    if (!readmeSetup) throw new Error('README.md has no setup block (PLAZA=…, json helper)');
    setup = readmeSetup.text;
  });

  afterAll(async () => {
    await plaza?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('puts every curl example in a bash block that runs', () => {
    const outside = DOCS.flatMap((f) =>
      fencedBlocks(text(f))
        .filter((b) => b.lang !== 'bash' && /\bcurl\s+(-|\$|'|"|http|localhost)/.test(b.text))
        .map((b) => `${f}:${b.line}`),
    );
    expect(outside).toEqual([]);
    for (const f of ['README.md', 'docs/store-api.md', 'docs/stores.md', 'docs/webhooks.md'])
      expect(RUN).toContain(f);
  });

  it('fails an example on an error it does not announce, and on an announced error that does not come', async () => {
    const run = (body: string) =>
      runDocScript(
        docScript('check.md', runnableBlocks(substitute(`\`\`\`bash\n${body}\n\`\`\`\n`)), setup),
        {},
      );
    // The shape of the examples before this test: a JSON body without its content type.
    const unannounced = await run(
      `curl -X POST $PLAZA/store/carts -H "x-plaza-channel-key: $WEB_KEY" -d '{ "items": [] }'\necho after`,
    );
    expect(unannounced.failures).toMatch(/check\.md:2: HTTP 415 UNSUPPORTED_MEDIA_TYPE/);
    expect(unannounced.output).not.toContain('after');
    const wrongMarker = await run(
      `curl $PLAZA/store/channel -H "x-plaza-channel-key: $WEB_KEY"\n# → 404 NOT_FOUND`,
    );
    expect(wrongMarker.failures).toMatch(/expected 404 NOT_FOUND, got 200/);
    const announced = await run(`curl $PLAZA/store/channel -H "x-plaza-channel-key: pk_unknown"\n# → 401`);
    expect([announced.failures, announced.code, announced.calls, announced.expectedErrors]).toEqual([
      '',
      0,
      1,
      1,
    ]);
  });

  for (const file of RUN) {
    it(`runs ${file}`, async () => {
      const md = substitute(text(file));
      const script = docScript(file, runnableBlocks(md), file === 'README.md' ? '' : setup);
      const started = Date.now();
      const run = await runDocScript(script, {});
      expect(run.failures, run.output.slice(-4000)).toBe('');
      expect(run.code, run.output.slice(-4000)).toBe(0);
      expect(run.calls).toBeGreaterThan(0);
      console.log(
        `${file}: ${run.calls} requests (${run.expectedErrors} announced errors) in ${Date.now() - started} ms`,
      );
    });
  }
});
