import { createHash } from 'node:crypto';

/** Statements that are never prepared by name: transaction control and other utility commands. */
const UTILITY =
  /^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|START|COMMIT|END|LISTEN|UNLISTEN|NOTIFY|SET|RESET|SHOW|LOCK|DEALLOCATE|DISCARD)\b/i;

/**
 * Names of prepared statements (PostgreSQL). A named statement is parsed and planned once per
 * connection instead of on every execution: most of PostgreSQL's work for the short queries of a
 * commerce API is planning them. But each name lives as long as its connection, so names are bounded:
 * - a text gets a name the second time it is seen (a text built anew for each call, such as a
 *   per-call savepoint name or an id spliced into SQL, never does);
 * - utility statements (SAVEPOINT, BEGIN, SET …) never get one;
 * - at most `max` texts get names; beyond that, statements run unnamed (parsed each time).
 * So no connection ever holds more than `max` prepared statements.
 */
export class StatementNames {
  private readonly named = new Map<string, string>();
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  /** The name to prepare `text` under, or undefined to run it unnamed. */
  nameOf(text: string): string | undefined {
    const name = this.named.get(text);
    if (name) return name;
    if (this.named.size >= this.max || UTILITY.test(text)) return undefined;
    if (!this.seen.has(text)) {
      if (this.seen.size >= 10 * this.max) this.seen.clear();
      this.seen.add(text);
      return undefined;
    }
    this.seen.delete(text);
    const fresh = `plz_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    this.named.set(text, fresh);
    return fresh;
  }

  get size(): number {
    return this.named.size;
  }
}
