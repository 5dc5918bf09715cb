/**
 * CSV import of products (POST /admin/products/imports, then GET …/imports/{id} until it ends): the
 * file's exact bytes are sent, the server imports them in the background and the screen shows its
 * progress, then every refused row with its line number. The import's id is in the URL, so a reload
 * shows the same import. The header is looked over in the browser first, for a quick warning.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Alert, Button, Card, ProblemAlert, Skeleton } from '../../../kit/ui.tsx';
import { type CsvCheck, checkCsv } from './csv-check.ts';
import { ImportProgress, RecentImports } from './import-parts.tsx';
import { keys, ownersAndManagers } from './queries.tsx';
import './catalog.css';

interface Loaded {
  file: File;
  text: string;
  check: CsvCheck;
}

const importKey = (id: string) => ['catalog', 'import', id] as const;

const ProductImport = () => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const fileId = useId();
  const [params, setParams] = useSearchParams();
  const current = params.get('import');
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
      setLoaded({ file, text, check: checkCsv(text) });
    };
    setReading({ loaded: 0, total: file.size });
    reader.readAsText(file, 'utf-8');
  };

  const start = useMutation({
    mutationFn: (l: Loaded) =>
      unwrap(
        staffApi.POST('/admin/products/imports', {
          params: { query: { filename: l.file.name.slice(0, 200) } },
          body: l.text,
          // The file's own bytes, not the decoded text: the server reports lines that are not UTF-8.
          bodySerializer: () => l.file,
          headers: { 'content-type': 'text/csv' },
        }),
      ),
    onSuccess: (job) => {
      qc.setQueryData(importKey(job.id), job);
      setParams({ import: job.id });
      setLoaded(undefined);
    },
  });

  const job = useQuery({
    queryKey: importKey(current ?? ''),
    queryFn: () =>
      unwrap(staffApi.GET('/admin/products/imports/{id}', { params: { path: { id: current ?? '' } } })),
    enabled: current !== null,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 500 : false),
  });
  // Once the import ends, the product list and the recent imports are stale.
  const endedId = job.data && job.data.status !== 'running' ? job.data.id : undefined;
  useEffect(() => {
    if (!endedId) return;
    void qc.invalidateQueries({ queryKey: keys.products });
    void qc.invalidateQueries({ queryKey: ['catalog', 'imports'] });
  }, [endedId, qc]);

  const recent = useQuery({
    queryKey: ['catalog', 'imports'],
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/products/imports', { params: { query: { limit: 5 } } }))).data,
  });

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
              name: loaded.file.name,
              rows: fmt.number(loaded.check.rows),
              products: fmt.number(loaded.check.products),
            })}
          </p>
        )}
        {loaded?.check.missing.map((c) => (
          <Alert key={c} tone="info">
            {t('catalog.import.missingColumn', { column: c })}
          </Alert>
        ))}
        {start.isError && <ProblemAlert error={start.error} />}
        <div className="pz-row">
          <span className="pz-spacer" />
          <Button
            variant="primary"
            disabled={!loaded}
            busy={start.isPending}
            onClick={() => loaded && start.mutate(loaded)}
          >
            {start.isPending ? t('catalog.import.uploading') : t('catalog.import.start')}
          </Button>
        </div>
      </Card>
      {current && (
        <Card title={t('catalog.import.resultTitle')}>
          {job.isPending ? (
            <Skeleton lines={3} />
          ) : job.isError ? (
            <ProblemAlert error={job.error} onRetry={() => void job.refetch()} />
          ) : (
            <ImportProgress job={job.data} />
          )}
        </Card>
      )}
      <Card title={t('catalog.import.recentTitle')}>
        {recent.isPending ? (
          <Skeleton lines={2} />
        ) : recent.isError ? (
          <ProblemAlert error={recent.error} onRetry={() => void recent.refetch()} />
        ) : (
          <RecentImports jobs={recent.data} />
        )}
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

export default ownersAndManagers(ProductImport);
