/**
 * Imports a CSV file of rates (POST /admin/analytics/rates/import, header day,currency,report_currency,rate).
 * All or nothing: a refused file lists every problem with its line number.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Alert, Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { analyticsKeys } from './data.ts';

const EXAMPLE = 'day,currency,report_currency,rate\n2026-01-01,USD,EUR,0.92\n2026-01-01,GBP,EUR,1.17';

/** `body.line[3].rate` → line 3, field rate. */
const lineOf = (path: string): { line: number; field: string } | undefined => {
  const m = /line\[(\d+)\]\.?(\w*)/.exec(path);
  return m ? { line: Number(m[1]), field: m[2] ?? '' } : undefined;
};

/** The refused lines of a VALIDATION_FAILED answer, in line order. */
const lineProblems = (error: unknown) => {
  const errors = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  return errors
    .map((e) => ({ ...e, at: lineOf(e.path) }))
    .filter((e) => e.at !== undefined)
    .sort((a, b) => (a.at?.line ?? 0) - (b.at?.line ?? 0));
};

export const RateImport = () => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const id = useId();
  const [file, setFile] = useState<File | undefined>();
  const upload = useMutation({
    mutationFn: async (f: File) =>
      unwrap(
        staffApi.POST('/admin/analytics/rates/import', {
          body: await f.text(),
          headers: { 'content-type': 'text/csv' },
          bodySerializer: (b: unknown) => String(b),
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: analyticsKeys.all }),
  });
  const byLine = lineProblems(upload.error);
  return (
    <Card title={t('analytics.import.title')}>
      <p className="pz-muted">{t('analytics.import.intro')}</p>
      <pre className="pz-mono" dir="ltr">
        {EXAMPLE}
      </pre>
      <div className="an-filters">
        <div className="pz-field">
          <label htmlFor={id}>{t('analytics.import.file')}</label>
          <input
            id={id}
            type="file"
            accept=".csv,text/csv"
            className="pz-input"
            data-testid="analytics-import-file"
            onChange={(e) => {
              upload.reset();
              setFile(e.target.files?.[0]);
            }}
          />
        </div>
        <div className="pz-field">
          <Button
            variant="primary"
            disabled={!file}
            busy={upload.isPending}
            onClick={() => file && upload.mutate(file)}
            data-testid="analytics-import-submit"
          >
            {t('analytics.import.submit')}
          </Button>
        </div>
      </div>
      {upload.data && (
        <Alert tone="success">
          <span data-testid="analytics-import-saved">
            {t('analytics.import.saved', { n: fmt.number(upload.data.saved) })}
          </span>
        </Alert>
      )}
      {upload.isError &&
        (byLine.length > 0 ? (
          <Alert>
            <p>{t('analytics.import.refused')}</p>
            <ul data-testid="analytics-import-errors">
              {byLine.map((p) => (
                <li key={`${p.path}:${p.message}`} data-line={p.at?.line}>
                  {t('analytics.import.lineError', {
                    line: fmt.number(p.at?.line ?? 0),
                    field: p.at?.field ?? '',
                    message: p.message,
                  })}
                </li>
              ))}
            </ul>
          </Alert>
        ) : (
          <ProblemAlert error={upload.error} />
        ))}
    </Card>
  );
};
