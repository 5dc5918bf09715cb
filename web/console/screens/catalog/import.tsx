/**
 * CSV import of products. The file is read and looked over in the browser (header, rows, products);
 * refused rows are listed with their line numbers. The import itself needs an /admin endpoint that the
 * API does not have yet (`plaza import products` is CLI only): see docs/ui.md.
 */
import { type ChangeEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../kit/format.ts';
import { Alert, Button, Card } from '../../../kit/ui.tsx';
import { type CsvCheck, checkCsv } from './csv-check.ts';
import './catalog.css';

/** One refused row as the screen shows it. */
export interface RefusedRow {
  line: number;
  message: string;
  /** The SKU or handle of the row, when it has one. */
  what?: string | undefined;
}

/** The refused rows of an import, each with its line number (`import-errors` / `import-row-error`). */
export const ImportErrors = ({ rows }: { rows: RefusedRow[] }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby={id} className="pz-stack">
      <h2 id={id}>{t('catalog.import.refused', { n: fmt.number(rows.length) })}</h2>
      <ol className="pz-catalog-errors" data-testid="import-errors">
        {rows.map((r) => (
          <li key={`${r.line}:${r.message}`} data-testid="import-row-error" data-line={r.line}>
            <strong>{t('catalog.import.line', { line: fmt.number(r.line) })}</strong>
            {r.what && <span className="pz-mono"> {r.what}</span>}: {r.message}
          </li>
        ))}
      </ol>
    </section>
  );
};

interface Loaded {
  name: string;
  size: number;
  check: CsvCheck;
}

const ProductImport = () => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const fileId = useId();
  const [reading, setReading] = useState<{ loaded: number; total: number } | undefined>();
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [readError, setReadError] = useState(false);

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setLoaded(undefined);
    setReadError(false);
    if (!file) return;
    const reader = new FileReader();
    reader.onprogress = (p) => setReading({ loaded: p.loaded, total: p.total || file.size });
    reader.onerror = () => {
      setReading(undefined);
      setReadError(true);
    };
    reader.onload = () => {
      setReading(undefined);
      const text = typeof reader.result === 'string' ? reader.result : '';
      setLoaded({ name: file.name, size: file.size, check: checkCsv(text) });
    };
    setReading({ loaded: 0, total: file.size });
    reader.readAsText(file, 'utf-8');
  };

  const headerErrors: RefusedRow[] = (loaded?.check.missing ?? []).map((c) => ({
    line: 1,
    message: t('catalog.import.missingColumn', { column: c }),
  }));

  return (
    <div className="pz-stack">
      <nav aria-label={t('catalog.detail.breadcrumb')}>
        <Link to="/catalog">{t('catalog.detail.back')}</Link>
      </nav>
      <h1>{t('catalog.import.title')}</h1>
      <Card title={t('catalog.import.fileTitle')}>
        <p className="pz-muted">{t('catalog.import.intro')}</p>
        <div className="pz-field">
          <label htmlFor={fileId}>{t('catalog.import.file')}</label>
          <input id={fileId} type="file" accept=".csv,text/csv" className="pz-input" onChange={onFile} />
        </div>
        {reading && (
          <div className="pz-stack" role="status">
            <span>
              {t('catalog.import.reading', {
                percent: fmt.number(Math.round((reading.loaded / Math.max(reading.total, 1)) * 100)),
              })}
            </span>
            <progress className="pz-catalog-progress" max={reading.total} value={reading.loaded} />
          </div>
        )}
        {readError && <Alert>{t('catalog.import.readError')}</Alert>}
        {loaded && (
          <p role="status">
            {t('catalog.import.summary', {
              name: loaded.name,
              rows: fmt.number(loaded.check.rows),
              products: fmt.number(loaded.check.products),
            })}
          </p>
        )}
        <ImportErrors rows={headerErrors} />
        <Alert tone="info">{t('catalog.import.unavailable')}</Alert>
        <div className="pz-row">
          <span className="pz-spacer" />
          <Button variant="primary" disabled>
            {t('catalog.import.start')}
          </Button>
        </div>
      </Card>
      <Card title={t('catalog.import.exportTitle')}>
        <p className="pz-muted">{t('catalog.import.exportIntro')}</p>
        <a className="pz-btn" href="/admin/products/export" download="products.csv">
          {t('catalog.import.export')}
        </a>
      </Card>
    </div>
  );
};

export default ProductImport;
