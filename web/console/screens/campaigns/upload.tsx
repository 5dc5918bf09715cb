/**
 * A customer list from a CSV file (a column `customer_id`, `email` or `phone`): uploaded as text/csv to
 * POST /admin/audience-lists, matched to customers; the refused lines are listed with their reason.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Alert, ProblemAlert } from '../../../kit/ui.tsx';

export const UploadList = ({ onUploaded }: { onUploaded: (listId: string) => void }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const id = useId();
  const upload = useMutation({
    mutationFn: async (file: File) =>
      unwrap(
        staffApi.POST('/admin/audience-lists', {
          params: { query: { name: file.name.replace(/\.csv$/i, '').slice(0, 200) || file.name } },
          body: await file.text(),
          headers: { 'content-type': 'text/csv' },
          bodySerializer: (b: unknown) => String(b),
        }),
      ),
    onSuccess: async (list) => {
      await qc.invalidateQueries({ queryKey: ['audience-lists'] });
      onUploaded(list.id);
    },
  });
  const done = upload.data;
  return (
    <div className="pz-stack">
      <div className="pz-field">
        <label htmlFor={id}>{t('campaigns.upload.label')}</label>
        <input
          id={id}
          type="file"
          accept=".csv,text/csv"
          aria-describedby={`${id}-hint`}
          disabled={upload.isPending}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) upload.mutate(file);
          }}
        />
        <span id={`${id}-hint`} className="pz-hint">
          {t('campaigns.upload.hint')}
        </span>
      </div>
      {upload.isError && <ProblemAlert error={upload.error} />}
      {done && (
        <Alert tone={done.refusals.length > 0 ? 'warning' : 'success'}>
          {t('campaigns.upload.matched', {
            matched: f.number(done.rows_matched),
            total: f.number(done.rows_total),
          })}
          {done.refusals.length > 0 && (
            <ul>
              {done.refusals.slice(0, 20).map((r) => (
                <li key={r.line}>
                  {t('campaigns.upload.refused', {
                    line: f.number(r.line),
                    reason: t(`campaigns.upload.reasons.${r.reason}`, { defaultValue: r.reason }),
                  })}
                </li>
              ))}
            </ul>
          )}
        </Alert>
      )}
    </div>
  );
};
