/** Customer 360, loyalty: card, balance, tier, the points ledger; enrol and adjust. */
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
import { Button, Card } from '../../../kit/ui.tsx';
import { cardGroups, keys, type Loyalty } from './data.ts';
import { DefList, Problem } from './ui.tsx';

type Entry = Loyalty['history']['data'][number];
const wholeNonZero = z.coerce
  .number<string>()
  .int()
  .refine((n) => n !== 0);
const adjustSchema = z.object({
  points: wholeNonZero,
  note: z.string().trim().min(1).max(500),
});
type AdjustInput = z.input<typeof adjustSchema>;
type AdjustValues = z.output<typeof adjustSchema>;

const Adjust = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useForm<AdjustInput, unknown, AdjustValues>({
    resolver: zodResolver(adjustSchema),
    defaultValues: { points: '', note: '' },
  });
  const adjust = useMutation({
    mutationFn: (v: AdjustValues) =>
      unwrap(
        staffApi.POST('/admin/customers/{id}/loyalty/adjustments', { params: { path: { id } }, body: v }),
      ),
    onSuccess: () => {
      form.reset();
      toast(t('customers.loyalty.adjusted'), 'success');
      return qc.invalidateQueries({ queryKey: keys.one(id) });
    },
    onError: (e) => applyProblemToForm(e, form.setError, ['points', 'note']),
  });
  return (
    <Card title={t('customers.loyalty.adjust')}>
      <form className="cx-filters" onSubmit={form.handleSubmit((v) => adjust.mutate(v))} noValidate>
        <Field
          label={t('customers.loyalty.points')}
          inputMode="numeric"
          hint={t('customers.loyalty.pointsHint')}
          error={form.formState.errors.points && t('customers.loyalty.pointsInvalid')}
          {...form.register('points')}
        />
        <div className="cx-grow">
          <Field
            label={t('customers.loyalty.note')}
            error={form.formState.errors.note && t('customers.common.required')}
            {...form.register('note')}
          />
        </div>
        <div className="pz-field">
          <Button type="submit" variant="primary" busy={adjust.isPending}>
            {t('customers.loyalty.apply')}
          </Button>
        </div>
      </form>
      {adjust.isError && <Problem error={adjust.error} />}
    </Card>
  );
};

const LoyaltyTab = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const pager = useCursorPager();
  const query = useQuery({
    queryKey: keys.part(id, 'loyalty', pager.cursor),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/customers/{id}/loyalty', {
          params: { path: { id }, query: { limit: 20, ...(pager.cursor ? { cursor: pager.cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const enroll = useMutation({
    mutationFn: () =>
      unwrap(staffApi.POST('/admin/customers/{id}/loyalty/enroll', { params: { path: { id } }, body: {} })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.one(id) }),
  });
  const columns: ColumnDef<Entry, unknown>[] = [
    { id: 'at', header: t('customers.fields.date'), cell: ({ row }) => f.date(row.original.created_at) },
    {
      id: 'kind',
      header: t('customers.loyalty.kind'),
      cell: ({ row }) =>
        t(`customers.loyalty.kinds.${row.original.kind}`, { defaultValue: row.original.kind }),
    },
    {
      id: 'points',
      header: t('customers.loyalty.points'),
      cell: ({ row }) => <span className="pz-num">{f.number(row.original.points)}</span>,
    },
    {
      id: 'ref',
      header: t('customers.loyalty.reference'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {row.original.order_id ?? row.original.reference ?? ''}
        </span>
      ),
    },
    { id: 'note', header: t('customers.loyalty.note'), cell: ({ row }) => row.original.note ?? '' },
  ];
  return (
    <div className="pz-stack">
      <QueryState query={query} lines={5}>
        {(l) => (
          <div className="pz-stack">
            <Card
              title={t('customers.tabs.loyalty')}
              actions={
                !l.enrolled && (
                  <Button variant="primary" busy={enroll.isPending} onClick={() => enroll.mutate()}>
                    {t('customers.loyalty.enroll')}
                  </Button>
                )
              }
            >
              <DefList
                items={[
                  [
                    t('customers.loyalty.card'),
                    l.card_number ? (
                      <span key="card" dir="ltr" className="pz-mono" data-testid="loyalty-card">
                        {cardGroups(l.card_number)}
                      </span>
                    ) : l.enrolled ? (
                      t('customers.loyalty.noCard')
                    ) : (
                      t('customers.loyalty.notEnrolled')
                    ),
                  ],
                  [
                    t('customers.loyalty.balance'),
                    <span key="b" className="pz-num">
                      {f.number(l.balance)}
                    </span>,
                  ],
                  [
                    t('customers.loyalty.tier'),
                    `${l.tier.name} (×${f.number(l.tier.multiplier_bps / 10000)})`,
                  ],
                  [
                    t('customers.loyalty.nextTier'),
                    l.tier.next
                      ? t('customers.loyalty.nextTierText', {
                          name: l.tier.next.name,
                          remaining: f.number(l.tier.next.remaining),
                        })
                      : '—',
                  ],
                ]}
              />
              {enroll.isError && <Problem error={enroll.error} />}
            </Card>
            <Card title={t('customers.loyalty.history')}>
              <DataTable
                caption={t('customers.loyalty.history')}
                columns={columns}
                data={l.history.data}
                rowId={(r) => r.id}
                empty={t('customers.loyalty.noHistory')}
              />
              <Pager pager={pager} nextCursor={l.history.next_cursor} />
            </Card>
          </div>
        )}
      </QueryState>
      <Adjust id={id} />
    </div>
  );
};

export default LoyaltyTab;
