/** Pieces of the import screen: the refused rows, an import's progress and counts, the recent imports. */
import type { components } from '@plaza/client';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../kit/format.ts';
import { Alert, Badge } from '../../../kit/ui.tsx';

export type ProductImport = components['schemas']['ProductImport'];

/** The refused rows of an import, each with its line number (`import-errors` / `import-row-error`). */
export const ImportErrors = ({ errors }: { errors: ProductImport['errors'] }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  if (errors.length === 0) return null;
  return (
    <section aria-labelledby={id} className="pz-stack">
      <h3 id={id}>{t('catalog.import.refused', { n: fmt.number(errors.length) })}</h3>
      <ol className="pz-catalog-errors" data-testid="import-errors">
        {errors.map((r, i) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: a line may carry several messages
            key={`${r.line}:${i}`}
            data-testid="import-row-error"
            data-line={r.line}
          >
            <strong>{t('catalog.import.line', { line: fmt.number(r.line) })}</strong>{' '}
            <span className="pz-mono">{r.sku ?? r.handle}</span>: {r.message}
          </li>
        ))}
      </ol>
    </section>
  );
};

const statusTone = (s: ProductImport['status']) =>
  s === 'succeeded' ? 'success' : s === 'failed' ? 'danger' : 'info';

/** One import: its progress while it runs, then what it did and the rows it refused. */
export const ImportProgress = ({ job }: { job: ProductImport }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const percent = job.rows > 0 ? Math.round((job.rows_done / job.rows) * 100) : 0;
  return (
    <div className="pz-stack" data-testid="import-result" data-status={job.status}>
      <div className="pz-row">
        <strong>{job.filename ?? job.id}</strong>
        <Badge tone={statusTone(job.status)}>{t(`catalog.import.status.${job.status}`)}</Badge>
      </div>
      {job.status === 'running' && (
        <div className="pz-stack" role="status">
          <span>
            {job.rows > 0
              ? t('catalog.import.progress', {
                  done: fmt.number(job.rows_done),
                  rows: fmt.number(job.rows),
                  percent: fmt.number(percent),
                })
              : t('catalog.import.parsing')}
          </span>
          <progress
            className="pz-catalog-progress"
            max={Math.max(job.rows, 1)}
            value={job.rows > 0 ? job.rows_done : undefined}
            aria-label={t('catalog.import.progressLabel')}
          />
        </div>
      )}
      {job.status === 'failed' && (
        <Alert>
          {t('catalog.import.failed')} {job.failure}
        </Alert>
      )}
      {job.status === 'succeeded' && (
        <Alert tone={job.errors.length ? 'info' : 'success'}>
          {t('catalog.import.done', {
            rows: fmt.number(job.rows),
            imported: fmt.number(job.rows - new Set(job.errors.map((e) => e.line)).size),
            created: fmt.number(job.products_created),
            updated: fmt.number(job.products_updated),
            variantsCreated: fmt.number(job.variants_created),
            variantsUpdated: fmt.number(job.variants_updated),
            prices: fmt.number(job.prices_changed),
          })}
        </Alert>
      )}
      <ImportErrors errors={job.errors} />
    </div>
  );
};

/** The latest imports, newest first; each opens its result. */
export const RecentImports = ({ jobs }: { jobs: ProductImport[] }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (jobs.length === 0) return <p className="pz-muted">{t('catalog.import.noneYet')}</p>;
  return (
    <ul className="pz-stack pz-catalog-list">
      {jobs.map((j) => (
        <li key={j.id} className="pz-row">
          <Link to={`/catalog/import?import=${j.id}`}>{j.filename ?? j.id}</Link>
          <Badge tone={statusTone(j.status)}>{t(`catalog.import.status.${j.status}`)}</Badge>
          <span className="pz-muted">
            {t('catalog.import.recentLine', {
              at: fmt.date(j.created_at),
              rows: fmt.number(j.rows),
              refused: fmt.number(j.errors.length),
            })}
          </span>
        </li>
      ))}
    </ul>
  );
};
