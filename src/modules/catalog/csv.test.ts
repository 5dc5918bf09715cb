import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, csvLine, decodeUtf8, detectDelimiter, parseCsv } from './csv.ts';
import { isValidGtin, normalizeBarcode, normalizeSku, slugify, withCheckDigit } from './rules.ts';

describe('CSV reader and writer', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, keeping line numbers', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\n2,"multi\nline",\n\n3,,z';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'multi\nline', ''] },
      { line: 6, fields: ['3', '', 'z'] },
    ]);
  });

  it('ignores a byte order mark and a final line break', () => {
    expect(parseCsv('\uFEFFa,b\n1,2\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('reports an unterminated quote and text after a closing quote with the line', () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvError);
    expect(() => parseCsv('a\n"open')).toThrow(/line 2/);
    expect(() => parseCsv('a,b\n"x"y,1')).toThrow(/line 2: unexpected text/);
  });

  it('writes what it reads back (property)', () => {
    const cell = fc.string({
      unit: fc.constantFrom(
        'a',
        'Z',
        ' ',
        ',',
        ';',
        '"',
        '\n',
        '\r\n',
        '\r',
        '\t',
        'é',
        '|',
        '1',
        '=',
        '+',
        '-',
        '@',
        "'",
      ),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const text = rows.map((r) => csvLine(r)).join('');
          expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
        },
      ),
    );
  });
});

describe('spreadsheet dialects', () => {
  it('detects the delimiter from the header, outside quotes', () => {
    expect(detectDelimiter('handle;title;sku\r\nx;"a, b, c";X-1')).toBe(';');
    expect(detectDelimiter('\uFEFF\nhandle\ttitle\tsku\n')).toBe('\t');
    expect(detectDelimiter('"a;b;c",handle,sku\n')).toBe(',');
    expect(detectDelimiter('handle\n')).toBe(',');
    expect(parseCsv('handle;sku\r\nx;"1;2"\r\n').map((r) => r.fields)).toEqual([
      ['handle', 'sku'],
      ['x', '1;2'],
    ]);
  });

  it('writes formula cells as text (OWASP): a leading quote before = + - @ tab CR', () => {
    expect(csvLine(['=1+2', '+33 6', '-5', '@SUM(A1)', '\tx', 'safe', "'=already", 12])).toBe(
      `'=1+2,'+33 6,'-5,'@SUM(A1),"'\tx",safe,''=already,12\r\n`,
    );
  });

  it('lists the lines that are not UTF-8', () => {
    const bytes = Buffer.from('a,b\nok,1\nB\xe9ret,2\nfine,3\n\xff\n', 'latin1');
    const d = decodeUtf8(bytes);
    expect(d.badLines).toEqual([3, 5]);
    expect(d.text.split('\n')[2]).toBe('B\uFFFDret,2');
    expect(decodeUtf8(Buffer.from('\uFEFFé,1\n', 'utf8'))).toEqual({ text: 'é,1\n', badLines: [] });
  });
});

describe('catalog rules', () => {
  it('validates GS1 check digits for EAN-8, UPC-A and EAN-13', () => {
    expect(isValidGtin('4006381333931')).toBe(true);
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('036000291452')).toBe(true);
    expect(isValidGtin('96385074')).toBe(true);
    expect(isValidGtin('96385075')).toBe(false);
    expect(isValidGtin('12345678901')).toBe(false);
    for (let i = 0; i < 50; i++) {
      const body = String(200_000_000_000 + i * 7919);
      expect(isValidGtin(withCheckDigit(body))).toBe(true);
    }
    expect(normalizeBarcode(' 4006381333931 ')).toEqual({ barcode: '4006381333931' });
    expect(normalizeBarcode('')).toEqual({ barcode: null });
  });

  it('trims SKUs and refuses bad ones', () => {
    expect(normalizeSku('  ABC-1/x.y_z ')).toEqual({ sku: 'ABC-1/x.y_z' });
    for (const bad of ['', ' ', '-A', 'A B', 'é1', 'A'.repeat(65), 'A,B']) {
      expect('error' in normalizeSku(bad), bad).toBe(true);
    }
  });

  it('slugifies titles into handles', () => {
    expect(slugify('  Crème Brûlée — 2 Pack! ')).toBe('creme-brulee-2-pack');
    expect(slugify('!!!')).toBe('item');
  });
});
