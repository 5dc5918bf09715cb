/** One merge: the audit (who, when, why, what moved) and its undo, with the API's undo report. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert, Badge, Button, Card } from '../../../kit/ui.tsx';
import { customerName, keys, type Merge, useCustomer } from './data.ts';
import { Actor, ConfirmAction, DefList, RequireAdmin } from './ui.tsx';

/** One value of the undo report, whatever its shape (the API types it as a free object). */
const ReportValue = ({ value }: { value: unknown }) => {
  const { t } = useTranslation();
  const f = useFormat();
  if (typeof value === 'number') return <>{f.number(value)}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <>—</>;
    return (
      <ul className="cx-list">
        {value.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: report rows have no id of their own
          <li key={i} dir="ltr" className="pz-mono">
            {typeof v === 'object' && v !== null ? Object.values(v).map(String).join(' · ') : String(v)}
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object' && value !== null)
    return (
      <ul className="cx-list">
        {Object.entries(value).map(([k, v]) => (
          <li key={k}>
            {t(`customers.merges.kinds.${k}`, { defaultValue: k })}:{' '}
            {typeof v === 'number' ? f.number(v) : String(v)}
          </li>
        ))}
      </ul>
    );
  return <>{String(value)}</>;
};

/** A customer of the merge, by name when it can be read, with a link to their 360. */
const Who = ({ id, testId }: { id: string; testId: string }) => {
  const c = useCustomer(id);
  return (
    <Link to={`/customers/${id}`} data-testid={testId}>
      {c.data ? customerName(c.data) : id}{' '}
      <span className="pz-mono pz-muted" dir="ltr">
        ({id})
      </span>
    </Link>
  );
};

const MergeView = ({ m }: { m: Merge }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const undone = m.undone_at !== null;
  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('customers.merges.titleOne')}</h1>
        <Badge tone={undone ? 'warning' : 'success'}>
          <span data-testid="merge-status">
            {undone ? t('customers.merges.undone') : t('customers.merges.merged')}
          </span>
        </Badge>
      </div>
      <Card>
        <DefList
          items={[
            [
              t('customers.fields.id'),
              <span key="id" className="pz-mono" dir="ltr">
                {m.id}
              </span>,
            ],
            [
              t('customers.merges.survivorProfile'),
              <Who key="s" id={m.survivor_id} testId="merge-survivor-link" />,
            ],
            [
              t('customers.merges.mergedProfile'),
              <Who key="m" id={m.merged_id} testId="merge-merged-link" />,
            ],
            [t('customers.merges.reason'), m.reason ?? '—'],
            [
              t('customers.merges.by'),
              <span key="by">
                <Actor actor={m.created_by} /> · {f.date(m.created_at)}
              </span>,
            ],
            ...(m.undone_at
              ? [
                  [
                    t('customers.merges.undoneBy'),
                    <span key="undone">
                      <Actor actor={m.undone_by ?? ''} /> · {f.date(m.undone_at)}
                    </span>,
                  ] as [string, ReactNode],
                ]
              : []),
          ]}
        />
      </Card>
      {m.moved && (
        <Card title={t('customers.merges.moved')}>
          <DefList
            items={Object.entries(m.moved).map(([kind, ids]) => [
              t(`customers.merges.kinds.${kind}`, { defaultValue: kind }),
              f.number(ids.length),
            ])}
          />
        </Card>
      )}
      {m.undo_report && (
        <Card title={t('customers.merges.undoReport')}>
          <div data-testid="merge-undo-report">
            <DefList
              items={Object.entries(m.undo_report).map(([k, v]) => [
                t(`customers.merges.report.${k}`, { defaultValue: k }),
                <ReportValue key={k} value={v} />,
              ])}
            />
          </div>
        </Card>
      )}
    </div>
  );
};

const MergeRecord = () => {
  const { t } = useTranslation();
  const { mergeId = '' } = useParams();
  const qc = useQueryClient();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const query = useQuery({
    queryKey: keys.merge(mergeId),
    queryFn: () =>
      unwrap(staffApi.GET('/admin/customers/merges/{id}', { params: { path: { id: mergeId } } })),
  });
  const undo = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.POST('/admin/customers/merges/{id}/undo', { params: { path: { id: mergeId } }, body: {} }),
      ),
    onSuccess: (m) => {
      qc.setQueryData(keys.merge(mergeId), m);
      setConfirming(false);
      toast(t('customers.merges.undoDone'), 'success');
      return qc.invalidateQueries({ queryKey: keys.all });
    },
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('customers.breadcrumb')}>
        <Link to="/customers">{t('customers.title')}</Link>
      </nav>
      <QueryState query={query} lines={6}>
        {(m) => (
          <div className="pz-stack">
            <MergeView m={m} />
            {m.undone_at === null && (
              <Card title={t('customers.merges.undoTitle')}>
                <p>{t('customers.merges.undoIntro')}</p>
                <Button variant="danger" onClick={() => setConfirming(true)} data-testid="merge-undo">
                  {t('customers.merges.undo')}
                </Button>
              </Card>
            )}
            {m.undone_at !== null && <Alert tone="success">{t('customers.merges.undoneNotice')}</Alert>}
          </div>
        )}
      </QueryState>
      <ConfirmAction
        open={confirming}
        onOpenChange={(o) => {
          setConfirming(o);
          if (!o) undo.reset();
        }}
        title={t('customers.merges.undoTitle')}
        description={t('customers.merges.undoConfirm')}
        confirmLabel={t('customers.merges.undo')}
        onConfirm={() => undo.mutate()}
        busy={undo.isPending}
        error={undo.error ?? undefined}
        testId="merge-undo-confirm"
      />
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <MergeRecord />
  </RequireAdmin>
);

export default Guarded;
