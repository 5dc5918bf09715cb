/**
 * CSV exports of the reports (docs/analytics.md, "Export and privacy"): one header line, then one
 * line per row. A row that describes fewer people than the minimum cell size (setting
 * `analytics.min_cell_size`) keeps its keys, says `suppressed` and leaves its figures empty, so an
 * export cannot single out a customer.
 */
import { csvLine } from '../../modules/catalog/index.ts';

export interface CsvSpec<R> {
  keys: readonly (keyof R & string)[];
  figures: readonly (keyof R & string)[];
  /** How many people a row describes. */
  people(row: R): number;
}

export const toCsv = <R>(rows: readonly R[], spec: CsvSpec<R>, minCell: number): string => {
  const cell = (v: unknown): string | number | null =>
    v === null || v === undefined ? null : typeof v === 'number' ? v : String(v);
  const lines = [csvLine([...spec.keys, 'suppressed', ...spec.figures])];
  for (const r of rows) {
    const small = spec.people(r) < minCell;
    lines.push(
      csvLine([
        ...spec.keys.map((k) => cell(r[k])),
        small ? 'true' : 'false',
        ...spec.figures.map((k) => (small ? null : cell(r[k]))),
      ]),
    );
  }
  return lines.join('');
};
