/** Customer 360, data requests: the person's requests, and recording one received by letter, phone or in store. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { keys, REQUEST_KINDS, type RequestKind, useCustomer } from './data.ts';
import { RequestsTable } from './requests.tsx';
import { Problem, SelectField, TextAreaField } from './ui.tsx';

const NewRequest = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const [kind, setKind] = useState<RequestKind>('export');
  const [note, setNote] = useState('');
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.POST('/admin/privacy/requests', {
          body: { customer_id: id, kind, ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      ),
    onSuccess: () => {
      setNote('');
      toast(t('customers.requests.created'), 'success');
      return qc.invalidateQueries({ queryKey: ['privacy-requests'] });
    },
  });
  return (
    <Card title={t('customers.requests.new')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <SelectField
          label={t('customers.requests.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as RequestKind)}
          options={REQUEST_KINDS.map((k) => ({ value: k, label: t(`customers.requests.kinds.${k}`) }))}
          data-testid="request-kind"
        />
        <TextAreaField
          label={t('customers.requests.note')}
          hint={t('customers.requests.noteHint')}
          value={note}
          maxLength={1000}
          onChange={(e) => setNote(e.target.value)}
        />
        <Button type="submit" variant="primary" busy={create.isPending} data-testid="request-create">
          {t('customers.requests.record')}
        </Button>
      </form>
      {create.isError && <Problem error={create.error} />}
    </Card>
  );
};

const RequestsTab = ({ id }: { id: string }) => {
  const customer = useCustomer(id);
  const query = useQuery({
    queryKey: keys.requests({ customer: id }),
    queryFn: () =>
      unwrap(staffApi.GET('/admin/privacy/requests', { params: { query: { customer_id: id, limit: 50 } } })),
  });
  return (
    <div className="pz-stack">
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <RequestsTable data={query.data?.data} loading={query.isPending} />
      )}
      {customer.data?.status === 'active' && <NewRequest id={id} />}
    </div>
  );
};

export default RequestsTab;
