/**
 * A quick look at a catalog CSV in the browser before it is sent: the header's required columns and
 * the number of data rows (line breaks inside quotes do not count). The import itself checks
 * everything else, row by row, on the server.
 */
export interface CsvCheck {
  /** Data rows (header not counted). */
  rows: number;
  /** Distinct handles (products). */
  products: number;
  /** Columns the file lacks among the required ones (`handle`, `sku`). */
  missing: string[];
  delimiter: string;
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The most frequent of comma, semicolon and tab outside quotes in the header (as the import does). */
const delimiterOf = (header: string): string => {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(ch))
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
};

/** Splits CSV text into records of fields (RFC 4180 quotes), calling `each` per record. */
const records = (text: string, delimiter: string, each: (fields: string[]) => void): void => {
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f !== '')) each(fields);
      fields = [];
      field = '';
    } else field += ch;
  }
  fields.push(field);
  if (fields.some((f) => f !== '')) each(fields);
};

export const checkCsv = (raw: string): CsvCheck => {
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  const firstBreak = text.search(/[\r\n]/);
  const delimiter = delimiterOf(firstBreak < 0 ? text : text.slice(0, firstBreak));
  let header: string[] | undefined;
  let handleAt = -1;
  let rows = 0;
  const handles = new Set<string>();
  records(text, delimiter, (fields) => {
    if (!header) {
      header = fields.map((f) => f.trim().toLowerCase());
      handleAt = header.indexOf('handle');
      return;
    }
    rows++;
    if (handleAt >= 0) handles.add((fields[handleAt] ?? '').trim());
  });
  const missing = ['handle', 'sku'].filter((c) => !header?.includes(c));
  return { rows, products: handles.size, missing, delimiter };
};
