/**
 * CSV reading and writing through csv-parse and csv-stringify (RFC 4180), with what spreadsheets
 * need on top: the delimiter is detected (Excel in France or Germany writes `;`), bytes that are not
 * UTF-8 are reported per line, and cells that a spreadsheet would run as a formula are escaped on
 * export (OWASP "CSV injection"): a cell starting with = + - @ tab or CR gets a leading `'`.
 */
import { type Info, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** One parsed record with the 1-based line number of its first character in the file. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export type Delimiter = ',' | ';' | '\t';
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

/**
 * The delimiter of a file, read from its first non-empty line (the header): the most frequent of
 * comma, semicolon and tab outside quotes; a comma when none appears.
 */
export const detectDelimiter = (text: string): Delimiter => {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  let seen = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      if (seen) break;
    } else if (!quoted && counts.has(c as Delimiter))
      counts.set(c as Delimiter, (counts.get(c as Delimiter) ?? 0) + 1);
    if (c !== '\n' && c !== '\r') seen = true;
  }
  return DELIMITERS.reduce((best, d) => ((counts.get(d) ?? 0) > (counts.get(best) ?? 0) ? d : best), ',');
};

/** Cells a spreadsheet would evaluate: = + - @ tab CR first (and already-escaped ones, to stay reversible). */
const FORMULA = /^'*[=+\-@\t\r]/;

/** The cell as written to a CSV: a leading `'` before a formula trigger, so Excel shows it as text. */
export const escapeFormula = (s: string): string => (FORMULA.test(s) ? `'${s}` : s);

/** Undoes `escapeFormula` (the import of an export gets the original text back). */
export const unescapeFormula = (s: string): string => (s.startsWith("'") && FORMULA.test(s) ? s.slice(1) : s);

const LINE_BREAK = /\r\n|\r|\n/g;
const breaksIn = (s: string): number => s.match(LINE_BREAK)?.length ?? 0;

/**
 * Parses CSV text into records, with `delimiter` or the detected one. Blank lines are skipped; a
 * UTF-8 byte order mark is ignored; records may have different lengths; cells escaped by
 * `escapeFormula` are read back. Throws CsvError (with the line) for an unterminated quoted field or
 * text right after a closing quote.
 */
export const parseCsv = (text: string, opts: { delimiter?: Delimiter } = {}): CsvRecord[] => {
  let rows: { record: string[]; info: Info }[];
  try {
    rows = parse(text, {
      delimiter: opts.delimiter ?? detectDelimiter(text),
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as { record: string[]; info: Info }[]; // `info: true` wraps each record (not in the typings)
  } catch (e) {
    const err = e as Error & { code?: string; lines?: number };
    const message =
      err.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'unterminated quoted field'
        : err.code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'unexpected text after a closing quote'
          : err.message;
    throw new CsvError(message, err.lines ?? 1);
  }
  return rows.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, f) => n + breaksIn(f), 0),
    fields: record.map(unescapeFormula),
  }));
};

/** One CSV line (CRLF, as RFC 4180 asks), comma-separated, formula cells escaped. */
export const csvLine = (values: readonly (string | number | null | undefined)[]): string =>
  stringify([values.map((v) => (typeof v === 'string' ? escapeFormula(v) : (v ?? '')))], {
    record_delimiter: '\r\n',
    // Quote line breaks of either kind, semicolons and tabs (so the delimiter is never misread) and
    // cells with outer spaces (some readers trim them).
    quoted_match: [/[\r\n;\t]/, /^\s|\s$/],
  });

/** Decoded text and the lines whose bytes are not UTF-8. */
export interface Decoded {
  text: string;
  /** 1-based line numbers with bytes that are not UTF-8 (shown as U+FFFD in `text`). */
  badLines: number[];
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/** Decodes a file as UTF-8, listing the lines with invalid bytes (a Windows-1252 export, say). */
export const decodeUtf8 = (bytes: Uint8Array): Decoded => {
  try {
    return { text: strict.decode(bytes), badLines: [] };
  } catch {
    const badLines: number[] = [];
    for (let start = 0, line = 1; start <= bytes.length; line++) {
      let end = bytes.indexOf(0x0a, start);
      if (end === -1) end = bytes.length;
      try {
        strict.decode(bytes.subarray(start, end));
      } catch {
        badLines.push(line);
      }
      start = end + 1;
    }
    return { text: lenient.decode(bytes), badLines };
  }
};
