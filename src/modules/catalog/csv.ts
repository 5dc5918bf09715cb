/**
 * A small RFC 4180 CSV reader and writer: comma-separated, fields quoted with `"` when they hold
 * a comma, quote, CR or LF, quotes doubled inside quoted fields, CRLF or LF line ends.
 */

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

/**
 * Parses CSV text into records. Blank lines are skipped; a UTF-8 byte order mark is ignored.
 * Throws CsvError for an unterminated quoted field or text right after a closing quote.
 */
export const parseCsv = (text: string): CsvRecord[] => {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let endOfRecord = false;
    while (!endOfRecord) {
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new CsvError('unterminated quoted field', start);
          const quote = text.indexOf('"', i);
          if (quote === -1) throw new CsvError('unterminated quoted field', start);
          const chunk = text.slice(i, quote);
          for (let k = chunk.indexOf('\n'); k !== -1; k = chunk.indexOf('\n', k + 1)) line++;
          field += chunk;
          i = quote + 1;
          if (text[i] === '"') {
            field += '"';
            i++;
          } else break;
        }
        const c = text[i];
        if (i < n && c !== ',' && c !== '\n' && c !== '\r') {
          throw new CsvError('unexpected text after a closing quote', line);
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 44 || c === 10 || c === 13) break; // , \n \r
          j++;
        }
        field += text.slice(i, j);
        i = j;
      }
      fields.push(field);
      field = '';
      if (i >= n) endOfRecord = true;
      else if (text[i] === ',') i++;
      else {
        if (text[i] === '\r') i++;
        if (text[i] === '\n') i++;
        line++;
        endOfRecord = true;
      }
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
  }
  return records;
};

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field, quoted only when needed. */
export const csvField = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return NEEDS_QUOTES.test(s) || s.trim() !== s ? `"${s.replaceAll('"', '""')}"` : s;
};

/** One CSV line (with CRLF, as RFC 4180 asks). */
export const csvLine = (values: readonly (string | number | null | undefined)[]): string =>
  `${values.map(csvField).join(',')}\r\n`;
