/**
 * Property-based fuzzing of the whole HTTP API, generated from /openapi.json: every case picks an
 * operation, fills its path and query parameters, headers and JSON body with valid samples, and makes
 * some of them hostile (overflowing and non-finite numbers, NUL, lone surrogates, wrong types, huge
 * and empty values, injection text). The property: no answer is a 5xx, and every error is a problem
 * document with a code docs/errors.md lists.
 *
 * PLAZA_FUZZ_RUNS sets the number of cases (default 2000), PLAZA_FUZZ_SEED replays a run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { type ContractChecker, contractChecker } from './support/contract.ts';
import {
  createFixture,
  documentedCodes,
  encodeText,
  type Fixture,
  HOSTILE_NUMBER_TEXT,
  HOSTILE_NUMBERS,
  HOSTILE_TEXT,
  headersFor,
  leavesOf,
  type Operation,
  operationsOf,
  RawJson,
  type Schema,
  sample,
  send,
  toJsonText,
  withLeaf,
} from './support/hostile.ts';

const RUNS = Number(process.env.PLAZA_FUZZ_RUNS ?? 2000);
const SEED = process.env.PLAZA_FUZZ_SEED ? Number(process.env.PLAZA_FUZZ_SEED) : Date.now() % 2 ** 31;
/** A fresh shop every so many cases: the fuzzer cancels orders, revokes keys and erases customers. */
const REFRESH_EVERY = 800;

let t: TestApp;
let fixture: Fixture;
let ops: Operation[];
let documented: string;
let contract: ContractChecker;

beforeAll(async () => {
  t = await createTestApp();
  fixture = await createFixture(t);
  ops = await operationsOf(t);
  documented = documentedCodes();
  contract = contractChecker((await t.app.inject({ url: '/openapi.json' })).json());
}, 120_000);
afterAll(() => t.close());

/** A value to put where any JSON value may go. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...HOSTILE_NUMBERS, ...HOSTILE_TEXT) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      [],
      {},
      '',
      ' ',
      '%00',
      "'; drop table orders;--",
      'x'.repeat(300),
      -1,
      0,
      0.5,
      2_147_483_648,
      -2_147_483_649,
      1e15,
      '2026-02-30T25:61:00Z',
      '0000-00-00',
      '__proto__',
      { __proto__: { admin: true } },
      // deeper than any request nests
      Array.from({ length: 40 }).reduce<unknown>((inner) => [inner], 'deep'),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => new RawJson(b.toString())),
  },
  {
    weight: 1,
    arbitrary: fc.double().map((d) => (Number.isFinite(d) ? d : new RawJson(d > 0 ? '1e309' : '-1e309'))),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Text for a query parameter, path segment or header. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...HOSTILE_NUMBER_TEXT,
    ...HOSTILE_TEXT,
    '',
    '-1',
    '0',
    '2147483648',
    'true',
    'x'.repeat(300),
  ),
  fc.string({ unit: 'binary', maxLength: 24 }),
);

/** One value of a parameter: a valid sample most of the time, else something hostile. */
const paramValue = (schema: Schema | undefined, f: Fixture): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(String(sample(schema, f.real) ?? 'x')) },
    { weight: 2, arbitrary: hostileText },
  );

interface Case {
  op: Operation;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const caseFor = (op: Operation, f: Fixture): fc.Arbitrary<Case> => {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
  const path = fc.tuple(...pathParams.map((p) => paramValue(p.schema, f)));
  const query = fc.tuple(...queryParams.map((p) => fc.option(paramValue(p.schema, f), { nil: undefined })));
  const full = hasBody && op.body ? sample(op.body, f.real, true) : undefined;
  const minimal = hasBody && op.body ? sample(op.body, f.real, false) : undefined;
  const mutations = fc.array(fc.tuple(fc.nat(), hostileValue), { minLength: 0, maxLength: 3 });
  const header = fc.option(
    fc.tuple(
      fc.constantFrom('idempotency-key', 'x-plaza-cart-token', 'x-plaza-anonymous-id', 'x-plaza-order-token'),
      hostileText,
    ),
    { nil: undefined },
  );
  return fc
    .record({ path, query, useFull: fc.boolean(), mutations, header, key: fc.nat() })
    .map(({ path: pv, query: qv, useFull, mutations: muts, header: h, key }) => {
      let i = 0;
      const url = op.path.replace(/\{[^}]+\}/g, () => encodeText(pv[i++] ?? 'x'));
      const qs = queryParams
        .map((p, j) => (qv[j] === undefined ? undefined : `${p.name}=${encodeText(qv[j])}`))
        .filter(Boolean)
        .join('&');
      let body: unknown = useFull ? full : minimal;
      for (const [at, value] of muts) {
        const leaves = leavesOf(body);
        const leaf = leaves[at % Math.max(1, leaves.length)];
        body = withLeaf(body, leaf?.path ?? [], value);
      }
      const headers: Record<string, string> = { ...headersFor(t, f, op), 'idempotency-key': `fuzz-${key}` };
      if (h) headers[h[0]] = h[1];
      return {
        op,
        url: qs ? `${url}?${qs}` : url,
        headers,
        body: hasBody ? toJsonText(body ?? {}) : undefined,
      };
    });
};

describe('fuzzing every operation from the OpenAPI document', () => {
  it(`${RUNS} hostile requests: no 5xx, every error a documented problem, every answer as the document says`, async () => {
    const failures: string[] = [];
    const byStatus = new Map<number, number>();
    let runs = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(ops.length - 1).chain((i) => caseFor(ops[i] as Operation, fixture)),
        async (c) => {
          runs++;
          if (runs % REFRESH_EVERY === 0) fixture = await createFixture(t);
          const r = await send(t, documented, {
            method: c.op.method,
            url: c.url,
            headers: c.headers,
            body: c.body,
          });
          byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
          if (r.failure && failures.length < 50) failures.push(r.failure);
          // Every answer is one the document declares: status, content type and body.
          // (An empty path segment names no operation: those answers are checked as problems above.)
          const path = c.url.split('?')[0] as string;
          const named = !path.includes('//') && !path.endsWith('/');
          for (const p of named ? contract.check(c.op.method, path, r.status, r.contentType, r.text) : [])
            if (failures.length < 50) failures.push(`${c.op.method} ${c.url} → ${r.status}: ${p}`);
          return true;
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const statuses = [...byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    console.log(
      `fuzz: ${runs} cases over ${ops.length} operations in ${Date.now() - started} ms (seed ${SEED}): ${statuses.join(' ')}`,
    );
    expect(runs).toBe(RUNS);
    expect(failures).toEqual([]);
  }, 300_000);
});
