/**
 * What a supplier sells (GET/PUT/DELETE /admin/suppliers/:id/skus/:sku), in a dialog: each SKU's lead
 * time, minimum order, pack size and whether the supplier is its preferred one (the one replenishment
 * buys from), and a form to add or change a SKU.
 */
import type { components } from '@plaza/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { CheckField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { forecastKeys, type Supplier } from './data.ts';

type SupplierSku = components['schemas']['SupplierSku'];

const whole = (v: string): number | undefined => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined);

export const SupplierSkus = ({ supplier, onClose }: { supplier: Supplier; onClose: () => void }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const key = [...forecastKeys.suppliers, supplier.id, 'skus'];
  const skus = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/suppliers/{id}/skus', {
          params: { path: { id: supplier.id }, query: { limit: 200 } },
        }),
      ),
  });
  const [sku, setSku] = useState('');
  const [minOrder, setMinOrder] = useState('');
  const [packSize, setPackSize] = useState('');
  const [lead, setLead] = useState('');
  const [preferred, setPreferred] = useState(true);
  const save = useMutation({
    mutationFn: () => {
      const min = whole(minOrder);
      const pack = whole(packSize);
      const days = whole(lead);
      return unwrap(
        staffApi.PUT('/admin/suppliers/{id}/skus/{sku}', {
          params: { path: { id: supplier.id, sku: sku.trim() } },
          body: {
            ...(min ? { min_order: min } : {}),
            ...(pack ? { pack_size: pack } : {}),
            lead_time_days: days ?? null,
            preferred,
          },
        }),
      );
    },
    onSuccess: () => {
      setSku('');
      setMinOrder('');
      setPackSize('');
      setLead('');
      return qc.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (s: string) =>
      unwrap(
        staffApi.DELETE('/admin/suppliers/{id}/skus/{sku}', {
          params: { path: { id: supplier.id, sku: s } },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (sku.trim()) save.mutate();
  };
  const columns: ColumnDef<SupplierSku, unknown>[] = [
    {
      header: t('forecasting.fields.sku'),
      cell: ({ row }) => <span className="pz-mono">{row.original.sku}</span>,
    },
    {
      header: t('forecasting.suppliers.leadTime'),
      cell: ({ row }) =>
        t('forecasting.days', {
          count: row.original.effective_lead_time_days,
          n: f.number(row.original.effective_lead_time_days),
        }),
    },
    { header: t('forecasting.suppliers.minOrder'), cell: ({ row }) => f.number(row.original.min_order) },
    { header: t('forecasting.suppliers.packSize'), cell: ({ row }) => f.number(row.original.pack_size) },
    {
      header: t('forecasting.suppliers.preferred'),
      cell: ({ row }) =>
        row.original.preferred ? <Badge tone="info">{t('forecasting.suppliers.yes')}</Badge> : '—',
    },
    {
      id: 'remove',
      header: () => <span className="visually-hidden">{t('forecasting.fields.actions')}</span>,
      cell: ({ row }) => (
        <Button variant="ghost" onClick={() => remove.mutate(row.original.sku)}>
          {t('forecasting.suppliers.remove')}
        </Button>
      ),
    },
  ];
  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={t('forecasting.suppliers.skusOf', { name: supplier.name })}
      description={t('forecasting.suppliers.skusHint')}
    >
      <div className="pz-stack">
        <QueryState query={skus}>
          {(page) => (
            <DataTable
              caption={t('forecasting.suppliers.skusOf', { name: supplier.name })}
              columns={columns}
              data={page.data}
              empty={t('forecasting.suppliers.noSkus')}
              rowId={(r) => r.sku}
            />
          )}
        </QueryState>
        {remove.isError && <ProblemAlert error={remove.error} />}
        <form className="fc-form" onSubmit={submit} noValidate>
          <Field
            label={t('forecasting.fields.sku')}
            value={sku}
            onChange={(e) => setSku(e.target.value)}
            required
          />
          <Field
            label={t('forecasting.suppliers.minOrder')}
            inputMode="numeric"
            value={minOrder}
            onChange={(e) => setMinOrder(e.target.value)}
          />
          <Field
            label={t('forecasting.suppliers.packSize')}
            inputMode="numeric"
            value={packSize}
            onChange={(e) => setPackSize(e.target.value)}
          />
          <Field
            label={t('forecasting.suppliers.leadTime')}
            hint={t('forecasting.suppliers.skuLeadHint')}
            inputMode="numeric"
            value={lead}
            onChange={(e) => setLead(e.target.value)}
          />
          <CheckField
            label={t('forecasting.suppliers.preferredLabel')}
            checked={preferred}
            onChange={(e) => setPreferred(e.target.checked)}
          />
          {save.isError && <ProblemAlert error={save.error} />}
          <Button type="submit" variant="primary" busy={save.isPending} disabled={!sku.trim()}>
            {t('forecasting.suppliers.saveSku')}
          </Button>
        </form>
      </div>
    </Dialog>
  );
};
