/**
 * Suppliers (GET/POST/PATCH /admin/suppliers): the list with lead time and whether they take orders,
 * a form for a new one, and per supplier the SKUs it sells (supplier-skus.tsx), which is what lets
 * replenishment suggest purchases from it.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Badge, Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { forecastKeys, type Supplier, useSuppliers } from './data.ts';
import { ForecastingPage } from './page.tsx';
import { SupplierSkus } from './supplier-skus.tsx';

const schema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.union([z.literal(''), z.email().max(254)]),
  lead_time_days: z
    .string()
    .trim()
    .regex(/^\d{0,3}$/)
    .refine((v) => v === '' || Number(v) <= 365),
});
type Values = z.infer<typeof schema>;
const FIELDS = ['name', 'email', 'lead_time_days'] as const;

const NewSupplier = () => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', email: '', lead_time_days: '' },
  });
  const create = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        staffApi.POST('/admin/suppliers', {
          body: {
            name: v.name.trim(),
            ...(v.email ? { email: v.email.trim() } : {}),
            ...(v.lead_time_days ? { lead_time_days: Number(v.lead_time_days) } : {}),
          },
        }),
      ),
    onSuccess: (s) => {
      toast(t('forecasting.suppliers.created', { name: s.name }), 'success');
      form.reset();
      return qc.invalidateQueries({ queryKey: forecastKeys.suppliers });
    },
    onError: (e) => applyProblemToForm(e, form.setError, FIELDS),
  });
  const err = form.formState.errors;
  const message = (name: (typeof FIELDS)[number], own: string) => {
    const e = err[name];
    return e ? (e.type === 'server' ? e.message : own) : undefined;
  };
  return (
    <form
      className="fc-form"
      onSubmit={form.handleSubmit((v) => create.mutate(v))}
      noValidate
      data-testid="supplier-form"
    >
      <Field
        label={t('forecasting.suppliers.name')}
        error={message('name', t('forecasting.suppliers.nameError'))}
        data-testid="supplier-name"
        {...form.register('name')}
      />
      <Field
        label={t('forecasting.suppliers.email')}
        type="email"
        error={message('email', t('forecasting.suppliers.emailError'))}
        {...form.register('email')}
      />
      <Field
        label={t('forecasting.suppliers.leadTime')}
        hint={t('forecasting.suppliers.leadTimeHint')}
        inputMode="numeric"
        error={message('lead_time_days', t('forecasting.suppliers.leadTimeError'))}
        {...form.register('lead_time_days')}
      />
      {create.isError && <ProblemAlert error={create.error} />}
      <Button type="submit" variant="primary" busy={create.isPending} data-testid="supplier-create">
        {t('forecasting.suppliers.create')}
      </Button>
    </form>
  );
};

const Suppliers = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const suppliers = useSuppliers();
  const [open, setOpen] = useState<Supplier | null>(null);
  const toggle = useMutation({
    mutationFn: (s: Supplier) =>
      unwrap(
        staffApi.PATCH('/admin/suppliers/{id}', {
          params: { path: { id: s.id } },
          body: { active: !s.active },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: forecastKeys.suppliers }),
  });
  const columns: ColumnDef<Supplier, unknown>[] = [
    {
      header: t('forecasting.suppliers.name'),
      cell: ({ row }) => <span data-testid="supplier-row-name">{row.original.name}</span>,
    },
    { header: t('forecasting.suppliers.email'), cell: ({ row }) => row.original.email ?? '—' },
    {
      header: t('forecasting.suppliers.leadTime'),
      cell: ({ row }) =>
        t('forecasting.days', {
          count: row.original.lead_time_days,
          n: f.number(row.original.lead_time_days),
        }),
    },
    {
      header: t('forecasting.suppliers.state'),
      cell: ({ row }) =>
        row.original.active ? (
          <Badge tone="success">{t('forecasting.suppliers.active')}</Badge>
        ) : (
          <Badge>{t('forecasting.suppliers.inactive')}</Badge>
        ),
    },
    {
      id: 'actions',
      header: () => <span className="visually-hidden">{t('forecasting.fields.actions')}</span>,
      cell: ({ row }) => (
        <span className="pz-row">
          <Button onClick={() => setOpen(row.original)}>{t('forecasting.suppliers.skus')}</Button>
          <Button
            variant="ghost"
            onClick={() => toggle.mutate(row.original)}
            busy={toggle.isPending && toggle.variables?.id === row.original.id}
          >
            {row.original.active
              ? t('forecasting.suppliers.deactivate')
              : t('forecasting.suppliers.activate')}
          </Button>
        </span>
      ),
    },
  ];
  return (
    <ForecastingPage>
      <Card title={t('forecasting.suppliers.title')}>
        {toggle.isError && <ProblemAlert error={toggle.error} />}
        <QueryState query={suppliers}>
          {(page) => (
            <DataTable
              caption={t('forecasting.suppliers.title')}
              columns={columns}
              data={page.data}
              empty={t('forecasting.suppliers.empty')}
              rowId={(r) => r.id}
              rowTestId="supplier-row"
            />
          )}
        </QueryState>
      </Card>
      <Card title={t('forecasting.suppliers.new')}>
        <NewSupplier />
      </Card>
      {open && <SupplierSkus supplier={open} onClose={() => setOpen(null)} />}
    </ForecastingPage>
  );
};

export default Suppliers;
