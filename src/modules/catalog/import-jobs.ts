/**
 * Catalog imports started through the API: the file is imported in the background by the process
 * that received it (the same `importProductsCsv` as `plaza import products`), and its progress and
 * refused rows are kept in `catalog_imports`, so any process can answer "how far is it".
 */
import type { Queryable } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import type { RowError } from './bulk.ts';
import { importProductsCsv } from './import.ts';

/** An import not updated for this long lost its process (a restart): it is reported as failed. */
export const STALE_IMPORT_MS = 120_000;
const PROGRESS_EVERY_MS = 500;

export interface ImportJobRow {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  filename: string | null;
  rows: number;
  rows_done: number;
  counts: Record<string, number>;
  errors: RowError[];
  failure: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const COLUMNS =
  'id, status, filename, rows, rows_done, counts, errors, failure, created_by, created_at, updated_at, finished_at';

/** A running import whose process stopped updating it is shown as failed (it will not finish). */
const settleStale = (r: ImportJobRow, now: Date): ImportJobRow =>
  r.status === 'running' && now.getTime() - r.updated_at.getTime() > STALE_IMPORT_MS
    ? {
        ...r,
        status: 'failed',
        failure: 'interrupted: the process importing it stopped; import the file again',
      }
    : r;

export const getImportJob = async (
  deps: Pick<Deps, 'db' | 'clock'>,
  id: string,
): Promise<ImportJobRow | undefined> => {
  const row = (
    await deps.db.query<ImportJobRow>(`SELECT ${COLUMNS} FROM catalog_imports WHERE id = $1`, [id])
  ).rows[0];
  return row && settleStale(row, deps.clock.now());
};

/** Newest first. */
export const listImportJobs = async (
  deps: Pick<Deps, 'db' | 'clock'>,
  f: { before?: string; limit: number },
): Promise<ImportJobRow[]> => {
  const rows = (
    await deps.db.query<ImportJobRow>(
      `SELECT ${COLUMNS} FROM catalog_imports WHERE ($1::text IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
      [f.before ?? null, f.limit],
    )
  ).rows;
  const now = deps.clock.now();
  return rows.map((r) => settleStale(r, now));
};

const update = (q: Queryable, id: string, set: string, params: unknown[]) =>
  q.query(`UPDATE catalog_imports SET ${set} WHERE id = $1`, [id, ...params]);

/**
 * Records a new import and starts it; answers at once with the running import. `done` resolves
 * when the import has finished (tests wait on it; the HTTP route does not).
 */
export const startImportJob = async (
  deps: Deps,
  input: Uint8Array,
  meta: { filename?: string | undefined; createdBy?: string | undefined },
): Promise<{ job: ImportJobRow; done: Promise<void> }> => {
  const now = deps.clock.now();
  const id = newId('imp');
  const job = (
    await deps.db.query<ImportJobRow>(
      `INSERT INTO catalog_imports (id, status, filename, created_by, created_at, updated_at)
       VALUES ($1, 'running', $2, $3, $4, $4) RETURNING ${COLUMNS}`,
      [id, meta.filename ?? null, meta.createdBy ?? null, now],
    )
  ).rows[0] as ImportJobRow;
  const done = runImport(deps, id, input);
  return { job, done };
};

const runImport = async (deps: Deps, id: string, input: Uint8Array): Promise<void> => {
  let last = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const saveProgress = (rows: number, rowsDone: number) => {
    pending = pending
      .then(() =>
        update(deps.db, id, 'rows = $2, rows_done = $3, updated_at = $4', [rows, rowsDone, deps.clock.now()]),
      )
      .catch((e) => deps.log.warn({ err: e, import_id: id }, 'import progress not saved'));
  };
  try {
    const report = await importProductsCsv(deps, input, {
      progress: (_label, total) => {
        let count = 0;
        saveProgress(total, 0);
        return {
          tick(n = 1) {
            count += n;
            if (Date.now() - last >= PROGRESS_EVERY_MS) {
              last = Date.now();
              saveProgress(total, count);
            }
          },
          done() {},
        };
      },
    });
    await pending;
    const { errors, rows, ms: _ms, ...counts } = report;
    await update(
      deps.db,
      id,
      `status = 'succeeded', rows = $2, rows_done = $2, counts = $3, errors = $4, updated_at = $5, finished_at = $5`,
      [rows, JSON.stringify(counts), JSON.stringify(errors), deps.clock.now()],
    );
    deps.log.info({ import_id: id, rows, refused: errors.length }, 'catalog import finished');
  } catch (e) {
    await pending;
    deps.log.error({ err: e, import_id: id }, 'catalog import failed');
    await update(deps.db, id, `status = 'failed', failure = $2, updated_at = $3, finished_at = $3`, [
      'the import stopped on an unexpected error; see the server log',
      deps.clock.now(),
    ]).catch(() => undefined);
  }
};
