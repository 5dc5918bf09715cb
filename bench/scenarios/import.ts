/**
 * Bulk catalog import: a 10,000-row CSV (2,000 products × 5 sizes, barcodes, prices on two channels),
 * imported into a fresh database, then imported again unchanged. It runs in this process, as
 * `plaza import products FILE.csv` does (no API process): PGlite in a data folder on disk, or a new
 * PostgreSQL database. Reports rows/s for each pass.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importProductsCsv } from '../../src/modules/catalog/index.ts';
import { createChannel } from '../../src/modules/channels/index.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createPostgresDatabase } from '../../src/platform/testing.ts';
import { openRuntime } from '../../src/runtime.ts';
import { catalogCsv } from '../../test/support/catalog-csv.ts';
import type { Backend } from '../lib/env.ts';
import { PG_SERVER } from '../lib/env.ts';
import type { Result } from '../lib/load.ts';

const PRODUCTS = 2_000;

export const formatImport = (r: Result): string =>
  `${r.name.padEnd(58)} ${String(r.throughput).padStart(6)} rows/s  (${r.ops} rows in ${r.seconds} s, ${r.errors} errors)`;

export const importRows = async (backend: Backend): Promise<Result[]> => {
  process.env.PLAZA_TEST_DATABASE_URL = PG_SERVER;
  const dir = backend === 'pglite' ? mkdtempSync(join(tmpdir(), 'plaza-bench-import-')) : undefined;
  const pg = backend === 'postgres' ? await createPostgresDatabase() : undefined;
  const rt = await openRuntime({
    config: loadConfig({
      ...(dir ? { PLAZA_DATA_DIR: dir } : { DATABASE_URL: pg?.url }),
      LOG_LEVEL: 'error',
      PLAZA_PRIVACY_KEY: process.env.PLAZA_PRIVACY_KEY ?? 'plaza-bench-privacy-key-0123456789abcdef',
    }),
  });
  try {
    const { deps } = rt;
    await deps.db.tx(async (tx) => {
      await createChannel(tx, deps, { type: 'web', name: 'Web', currency: 'USD', locale: 'en-US' });
      await createChannel(tx, deps, { type: 'pos', name: 'Store POS', currency: 'USD', locale: 'en-US' });
    });
    const csv = catalogCsv(PRODUCTS);
    const pass = async (name: string): Promise<Result> => {
      const t0 = performance.now();
      const r = await importProductsCsv(deps, csv);
      const seconds = (performance.now() - t0) / 1000;
      const ms = Math.round(seconds * 1000);
      return {
        name,
        ops: r.rows,
        errors: r.errors.length,
        seconds: Math.round(seconds * 10) / 10,
        throughput: Math.round(r.rows / seconds),
        // One operation (the whole import): its duration stands for every percentile.
        p50: ms,
        p95: ms,
        p99: ms,
        max: ms,
        statuses: {},
      };
    };
    const rows = PRODUCTS * 5;
    return [
      await pass(`import ${rows.toLocaleString('en-US')} CSV rows into an empty catalog`),
      await pass(`re-import the same ${rows.toLocaleString('en-US')} rows (nothing changes)`),
    ];
  } finally {
    await rt.close();
    await pg?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
};
