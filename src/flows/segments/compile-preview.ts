/** The preview of a rule tree before it is saved: how many customers match now, and a sample. */
import type { Db } from '../../platform/db.ts';
import { pgCode } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import { compileRules } from './compile.ts';
import type { SegmentRules } from './rules.ts';

/** A preview answers within the request or not at all. */
export const PREVIEW_TIMEOUT_MS = 15_000;
export const SAMPLE_SIZE = 20;

export interface PreviewResult {
  count: number;
  sample: { id: string; first_name: string | null; last_name: string | null; email: string | null }[];
}

/**
 * One statement: the compiled query is materialised once, counted, and its newest 20 customers
 * returned (ids are ULIDs, so newest first is id order). Refused with UNPROCESSABLE when it runs
 * longer than PREVIEW_TIMEOUT_MS.
 */
export const previewRules = async (db: Db, rules: SegmentRules, now: Date): Promise<PreviewResult> => {
  const { sql, params } = compileRules(rules, { now });
  const n = params.length;
  try {
    return await db.tx(async (tx) => {
      await tx.query(`SELECT set_config('statement_timeout', $1, true)`, [String(PREVIEW_TIMEOUT_MS)]);
      // JIT-compiling a plan over every events partition costs more than the query saves
      if (db.kind === 'postgres') await tx.query(`SELECT set_config('jit', 'off', true)`);
      const { rows } = await tx.query<{
        total: number;
        id: string | null;
        first_name: string | null;
        last_name: string | null;
        email: string | null;
      }>(
        `WITH m AS MATERIALIZED (${sql})
         SELECT t.total, c.id, c.first_name, c.last_name, c.email
         FROM (SELECT count(*)::int AS total FROM m) t
         LEFT JOIN LATERAL (SELECT c.id, c.first_name, c.last_name, c.email FROM m
           JOIN customers c ON c.id = m.customer_id ORDER BY c.id DESC LIMIT $${n + 1}) c ON true`,
        [...params, SAMPLE_SIZE],
      );
      return {
        count: rows[0]?.total ?? 0,
        sample: rows.flatMap((r) =>
          r.id ? [{ id: r.id, first_name: r.first_name, last_name: r.last_name, email: r.email }] : [],
        ),
      };
    });
  } catch (e) {
    if (pgCode(e) === '57014')
      throw new PlazaError('UNPROCESSABLE', `The preview took longer than ${PREVIEW_TIMEOUT_MS / 1000} s`, {
        timeout_ms: PREVIEW_TIMEOUT_MS,
      });
    throw e;
  }
};
