/** Customer 360, store credit: balances per currency, the ledger, and an adjustment with its reason. */
import { zodResolver } from '@hookform/resolvers/zod';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card, EmptyState } from '../../../kit/ui.tsx';
import { keys, type StoreCredit, toMinor } from './data.ts';
import { Actor, Problem } from './ui.tsx';

type Entry = StoreCredit['entries'][number];

const CURRENCY_CODE = /^[A-Za-z]{3}$/;
const SIGNED_AMOUNT = /^-?\d+([.,]\d+)?$/;
const schema = z.object({
  amount: z.string().trim().regex(SIGNED_AMOUNT),
  currency: z.string().trim().regex(CURRENCY_CODE),
  reason: z.string().trim().min(1).max(500),
});
type Values = z.infer<typeof schema>;

const Adjust = ({ id, currency }: { id: string; currency: string }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { amount: '', currency, reason: '' },
  });
  const adjust = useMutation({
    mutationFn: (v: Values) => {
      const cur = v.currency.toUpperCase();
      const amount = toMinor(v.amount, cur);
      return unwrap(
        staffApi.POST('/admin/customers/{id}/store-credit/adjustments', {
          params: { path: { id } },
          body: { amount, currency: cur, reason: v.reason },
        }),
      );
    },
    onSuccess: (data) => {
      form.reset({ amount: '', currency: form.getValues('currency'), reason: '' });
      qc.setQueryData(keys.part(id, 'credit', undefined), data);
      toast(t('customers.credit.adjusted'), 'success');
      return qc.invalidateQueries({ queryKey: keys.one(id) });
    },
    onError: (e) => applyProblemToForm(e, form.setError, ['amount', 'currency', 'reason']),
  });
  return (
    <Card title={t('customers.credit.adjust')}>
      <form className="cx-filters" onSubmit={form.handleSubmit((v) => adjust.mutate(v))} noValidate>
        <Field
          label={t('customers.credit.amount')}
          inputMode="decimal"
          hint={t('customers.credit.amountHint')}
          error={form.formState.errors.amount && t('customers.credit.amountInvalid')}
          {...form.register('amount')}
        />
        <Field
          label={t('customers.fields.currency')}
          maxLength={3}
          error={form.formState.errors.currency && t('customers.credit.currencyInvalid')}
          {...form.register('currency')}
        />
        <div className="cx-grow">
          <Field
            label={t('customers.credit.reason')}
            error={form.formState.errors.reason && t('customers.common.required')}
            {...form.register('reason')}
          />
        </div>
        <div className="pz-field">
          <Button type="submit" variant="primary" busy={adjust.isPending}>
            {t('customers.credit.apply')}
          </Button>
        </div>
      </form>
      {adjust.isError && <Problem error={adjust.error} />}
    </Card>
  );
};

const CreditTab = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const pager = useCursorPager();
  const query = useQuery({
    queryKey: keys.part(id, 'credit', pager.cursor),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/customers/{id}/store-credit', {
          params: { path: { id }, query: { limit: 20, ...(pager.cursor ? { cursor: pager.cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<Entry, unknown>[] = [
    { id: 'at', header: t('customers.fields.date'), cell: ({ row }) => f.date(row.original.created_at) },
    { id: 'kind', header: t('customers.credit.kind'), cell: ({ row }) => row.original.kind },
    {
      id: 'amount',
      header: t('customers.credit.amount'),
      cell: ({ row }) => (
        <span className="pz-num">{f.money(row.original.amount, row.original.currency)}</span>
      ),
    },
    {
      id: 'after',
      header: t('customers.credit.balanceAfter'),
      cell: ({ row }) => (
        <span className="pz-num">{f.money(row.original.balance_after, row.original.currency)}</span>
      ),
    },
    {
      id: 'ref',
      header: t('customers.loyalty.reference'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {row.original.reference ? `${row.original.reference.type} ${row.original.reference.id}` : ''}
        </span>
      ),
    },
    {
      id: 'actor',
      header: t('customers.credit.actor'),
      cell: ({ row }) => <Actor actor={row.original.actor} />,
    },
  ];
  return (
    <QueryState query={query} lines={5}>
      {(c) => (
        <div className="pz-stack">
          <Card title={t('customers.credit.balances')}>
            {c.balances.length === 0 ? (
              <EmptyState title={t('customers.credit.none')} />
            ) : (
              <div className="pz-grid">
                {c.balances.map((b) => (
                  <div key={b.currency} className="cx-stat" data-testid={`credit-${b.currency}`}>
                    {f.money(b.balance, b.currency)}
                  </div>
                ))}
              </div>
            )}
          </Card>
          <Card title={t('customers.credit.entries')}>
            <DataTable
              caption={t('customers.credit.entries')}
              columns={columns}
              data={c.entries}
              rowId={(r) => r.id}
              empty={t('customers.credit.noEntries')}
            />
            <Pager pager={pager} nextCursor={c.next_cursor} />
          </Card>
          <Adjust id={id} currency={c.balances[0]?.currency ?? 'USD'} />
        </div>
      )}
    </QueryState>
  );
};

export default CreditTab;
