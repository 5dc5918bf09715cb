/**
 * Data requests (export, restrict, lift restriction, erase): the table with its actions, shared by the
 * register and the customer's tab. Erasure asks twice and needs the balance decision when there is one.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { type BalanceDecision, keys, type PrivacyRequest } from './data.ts';
import { CheckField, ConfirmAction, SelectField, TextAreaField } from './ui.tsx';

const DECISIONS: readonly BalanceDecision[] = ['refund', 'forfeit', 'wait'];

/** Saves the export document as a JSON file. */
const download = async (id: string) => {
  const doc = await unwrap(staffApi.GET('/admin/privacy/requests/{id}/export', { params: { path: { id } } }));
  const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `plaza-export-${id}.json`;
  a.click();
  URL.revokeObjectURL(url);
};

const statusTone = (r: PrivacyRequest) =>
  r.status === 'completed'
    ? 'success'
    : r.status === 'rejected'
      ? 'neutral'
      : r.overdue
        ? 'danger'
        : 'warning';

export const RequestsTable = ({
  data,
  loading,
  showCustomer,
}: {
  data: PrivacyRequest[] | undefined;
  loading?: boolean;
  showCustomer?: boolean;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const [processing, setProcessing] = useState<PrivacyRequest | undefined>();
  const [rejecting, setRejecting] = useState<PrivacyRequest | undefined>();
  const [understood, setUnderstood] = useState(false);
  const [decision, setDecision] = useState<BalanceDecision | ''>('');
  const [reason, setReason] = useState('');
  const [downloadError, setDownloadError] = useState<unknown>();

  const close = () => {
    setProcessing(undefined);
    setRejecting(undefined);
    setUnderstood(false);
    setDecision('');
    setReason('');
  };
  const done = (message: string) => {
    toast(message, 'success');
    close();
    void qc.invalidateQueries({ queryKey: ['privacy-requests'] });
    void qc.invalidateQueries({ queryKey: keys.all });
  };
  const process = useMutation({
    mutationFn: (r: PrivacyRequest) =>
      unwrap(
        staffApi.POST('/admin/privacy/requests/{id}/process', {
          params: { path: { id: r.id } },
          body: {
            ...(decision ? { balances: decision } : {}),
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          },
        }),
      ),
    onSuccess: () => done(t('customers.requests.processed')),
  });
  const reject = useMutation({
    mutationFn: (r: PrivacyRequest) =>
      unwrap(
        staffApi.POST('/admin/privacy/requests/{id}/reject', {
          params: { path: { id: r.id } },
          body: { reason: reason.trim() },
        }),
      ),
    onSuccess: () => done(t('customers.requests.rejected')),
  });

  const columns: ColumnDef<PrivacyRequest, unknown>[] = [
    {
      id: 'kind',
      header: t('customers.requests.kind'),
      cell: ({ row }) =>
        t(`customers.requests.kinds.${row.original.kind}`, { defaultValue: row.original.kind }),
    },
    ...(showCustomer
      ? [
          {
            id: 'customer',
            header: t('customers.requests.customer'),
            cell: ({ row }) => (
              <Link to={`/customers/${row.original.customer_id}?tab=requests`} className="pz-mono">
                {row.original.customer_id}
              </Link>
            ),
          } satisfies ColumnDef<PrivacyRequest, unknown>,
        ]
      : []),
    {
      id: 'status',
      header: t('customers.fields.status'),
      cell: ({ row }) => (
        <Badge tone={statusTone(row.original)}>
          {t(`customers.requests.statuses.${row.original.status}`, { defaultValue: row.original.status })}
          {row.original.overdue && row.original.status === 'received'
            ? ` · ${t('customers.requests.overdue')}`
            : ''}
        </Badge>
      ),
    },
    {
      id: 'received',
      header: t('customers.requests.received'),
      cell: ({ row }) => f.date(row.original.received_at),
    },
    { id: 'due', header: t('customers.requests.due'), cell: ({ row }) => f.day(row.original.due_at) },
    { id: 'source', header: t('customers.fields.source'), cell: ({ row }) => row.original.source },
    {
      id: 'outcome',
      header: t('customers.requests.outcome'),
      cell: ({ row }) =>
        row.original.rejection_reason ??
        (row.original.balance_decision
          ? t(`customers.requests.decisions.${row.original.balance_decision}`, {
              defaultValue: row.original.balance_decision,
            })
          : '') ??
        '',
    },
    {
      id: 'actions',
      header: t('customers.common.actions'),
      cell: ({ row }) => {
        const r = row.original;
        const exportReady =
          r.kind === 'export' &&
          r.status === 'completed' &&
          r.export_expires_at &&
          new Date(r.export_expires_at) > new Date();
        return (
          <span className="pz-row">
            {r.status === 'received' && (
              <>
                <Button
                  variant={r.kind === 'erase' ? 'danger' : 'primary'}
                  onClick={() => setProcessing(r)}
                  data-testid={`request-process-${r.kind}`}
                >
                  {r.kind === 'erase' ? t('customers.requests.erase') : t('customers.requests.process')}
                </Button>
                <Button onClick={() => setRejecting(r)}>{t('customers.requests.reject')}</Button>
              </>
            )}
            {exportReady && (
              <Button
                onClick={() => download(r.id).then(() => setDownloadError(undefined), setDownloadError)}
              >
                {t('customers.requests.download')}
              </Button>
            )}
          </span>
        );
      },
    },
  ];

  const erasing = processing?.kind === 'erase';
  return (
    <div className="pz-stack">
      {downloadError !== undefined && <ProblemAlert error={downloadError} />}
      <DataTable
        caption={t('customers.requests.title')}
        columns={columns}
        data={data}
        loading={loading}
        rowId={(r) => r.id}
        empty={t('customers.requests.empty')}
      />
      <ConfirmAction
        open={processing !== undefined}
        onOpenChange={(o) => {
          if (!o) {
            close();
            process.reset();
          }
        }}
        title={processing ? t(`customers.requests.confirm.${processing.kind}.title`) : ''}
        description={processing ? t(`customers.requests.confirm.${processing.kind}.text`) : ''}
        confirmLabel={erasing ? t('customers.requests.eraseConfirm') : t('customers.requests.process')}
        danger={erasing}
        disabled={erasing && (!understood || (decision === 'forfeit' && reason.trim() === ''))}
        busy={process.isPending}
        error={process.error ?? undefined}
        onConfirm={() => processing && process.mutate(processing)}
        testId="request-confirm"
      >
        {erasing && (
          <>
            <SelectField
              label={t('customers.requests.balances')}
              value={decision}
              onChange={(e) => setDecision(e.target.value as BalanceDecision | '')}
              options={[
                { value: '', label: t('customers.requests.noBalances') },
                ...DECISIONS.map((d) => ({ value: d, label: t(`customers.requests.decisions.${d}`) })),
              ]}
            />
            {decision !== '' && (
              <TextAreaField
                label={t('customers.requests.decisionReason')}
                hint={decision === 'forfeit' ? t('customers.requests.reasonRequired') : undefined}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            )}
            <CheckField
              label={t('customers.requests.understood')}
              checked={understood}
              onChange={(e) => setUnderstood(e.target.checked)}
              data-testid="erase-understood"
            />
          </>
        )}
      </ConfirmAction>
      <ConfirmAction
        open={rejecting !== undefined}
        onOpenChange={(o) => {
          if (!o) {
            close();
            reject.reset();
          }
        }}
        title={t('customers.requests.rejectTitle')}
        confirmLabel={t('customers.requests.reject')}
        danger={false}
        disabled={reason.trim() === ''}
        busy={reject.isPending}
        error={reject.error ?? undefined}
        onConfirm={() => rejecting && reject.mutate(rejecting)}
      >
        <TextAreaField
          label={t('customers.requests.rejectReason')}
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
        />
      </ConfirmAction>
    </div>
  );
};
