import type { Queryable } from './db.ts';

/**
 * A unit of work written in ONE round trip: each module adds its own statements (inserts, updates)
 * and the flow that owns the transaction flushes them together as data-modifying CTEs of a single
 * statement. The SQL stays in the module that owns the table; the round trips shrink to one.
 * Statements see the same snapshot and must not depend on each other's results (use pre-generated
 * ids). `$1…$n` in each statement refer to its own parameters.
 */
export class WriteBatch {
  private readonly ctes: string[] = [];
  private readonly params: unknown[] = [];

  get size(): number {
    return this.ctes.length;
  }

  /** Adds a data-modifying statement (INSERT/UPDATE/DELETE, optionally RETURNING) and returns its CTE name. */
  add(sql: string, params: readonly unknown[], name = `w${this.ctes.length}`): string {
    const offset = this.params.length;
    this.ctes.push(`${name} AS (${sql.replace(/\$(\d+)/g, (_, d: string) => `$${offset + Number(d)}`)})`);
    this.params.push(...params);
    return name;
  }

  /** Adds a multi-row INSERT. Values are parameters; PostgreSQL types them from the target columns. */
  insert(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly unknown[])[],
    suffix = '',
  ): string | undefined {
    if (rows.length === 0) return undefined;
    const params: unknown[] = [];
    const values = rows.map((r) => {
      const start = params.length;
      params.push(...r);
      return `(${r.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    return this.add(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ${suffix}`,
      params,
    );
  }

  /**
   * Runs every statement at once; `select` may read the CTEs (their RETURNING rows), with its own
   * `$1…` parameters. With `requireAll`, the statement commits only if every named CTE changed
   * exactly the expected number of rows; otherwise nothing is written and BatchConditionFailed is
   * thrown (see plaza_check in the migrations).
   */
  async flush<T = { ok: number }>(
    q: Queryable,
    opts: { select?: string; params?: readonly unknown[]; requireAll?: Record<string, number> } = {},
  ): Promise<T[]> {
    if (this.ctes.length === 0) return [];
    const offset = this.params.length;
    let select = (opts.select ?? 'SELECT 1 AS ok').replace(
      /\$(\d+)/g,
      (_, d: string) => `$${offset + Number(d)}`,
    );
    const checks = Object.entries(opts.requireAll ?? {});
    if (checks.length) {
      const cond = checks.map(([cte, n]) => `(SELECT count(*) FROM ${cte}) = ${Number(n)}`).join(' AND ');
      select = `SELECT plaza_check(${cond}, 'batch condition') AS checked, x.* FROM (${select}) x`;
    }
    try {
      return (
        await q.query<T>(`WITH ${this.ctes.join(',\n')}\n${select}`, [...this.params, ...(opts.params ?? [])])
      ).rows;
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('plaza_check:')) throw new BatchConditionFailed();
      throw e;
    }
  }
}

/** A batch flushed with `requireAll` found a condition false: it wrote nothing. */
export class BatchConditionFailed extends Error {
  constructor() {
    super('the batch condition was not met; nothing was written');
  }
}
