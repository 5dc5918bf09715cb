/** The product's variants: SKU, barcode, options and current price per channel; add, edit, price, remove. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { ConfirmDialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card } from '../../../kit/ui.tsx';
import { PricesDialog } from './prices.tsx';
import { keys, ProblemText, type Product, useChannels, type Variant } from './queries.tsx';
import { VariantDialog } from './variant-form.tsx';

export const VariantsCard = ({ product }: { product: Product }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const channels = useChannels();
  const [editing, setEditing] = useState<Variant | 'new' | undefined>();
  const [pricing, setPricing] = useState<Variant | undefined>();
  const [removing, setRemoving] = useState<Variant | undefined>();
  const remove = useMutation({
    mutationFn: (v: Variant) =>
      unwrap(
        staffApi.DELETE('/admin/products/{id}/variants/{variantId}', {
          params: { path: { id: product.id, variantId: v.id } },
        }),
      ),
    onSuccess: (p) => {
      qc.setQueryData(keys.product(p.id), p);
      void qc.invalidateQueries({ queryKey: keys.products });
      setRemoving(undefined);
    },
    onError: (e) => {
      setRemoving(undefined);
      toast(<ProblemText error={e} />, 'danger');
    },
  });
  const columns = useMemo<ColumnDef<Variant, unknown>[]>(
    () => [
      {
        id: 'sku',
        header: t('catalog.fields.sku'),
        cell: ({ row }) => <span className="pz-mono pz-catalog-nowrap">{row.original.sku}</span>,
      },
      {
        id: 'barcode',
        header: t('catalog.fields.barcode'),
        cell: ({ row }) => <span className="pz-mono">{row.original.barcode ?? '—'}</span>,
      },
      { id: 'title', header: t('catalog.fields.variantTitle'), cell: ({ row }) => row.original.title },
      ...(channels.data ?? []).map<ColumnDef<Variant, unknown>>((c) => ({
        id: `price-${c.id}`,
        header: c.name,
        cell: ({ row }) => {
          const p = row.original.prices.find((x) => x.channel_id === c.id && x.current);
          return p ? (
            <span className="pz-num pz-catalog-nowrap">
              {fmt.money(p.amount, p.currency)}
              {p.compare_at_amount != null && (
                <>
                  {' '}
                  <s className="pz-muted">{fmt.money(p.compare_at_amount, p.currency)}</s>
                </>
              )}
            </span>
          ) : (
            <span className="pz-muted">{t('catalog.variants.noPrice')}</span>
          );
        },
      })),
      {
        id: 'actions',
        header: () => <span className="visually-hidden">{t('catalog.variants.actions')}</span>,
        cell: ({ row }) => (
          <span className="pz-catalog-nowrap">
            <Button
              variant="ghost"
              onClick={() => setEditing(row.original)}
              aria-label={t('catalog.variants.editLabel', { sku: row.original.sku })}
            >
              {t('catalog.variants.edit')}
            </Button>
            <Button
              variant="ghost"
              onClick={() => setPricing(row.original)}
              aria-label={t('catalog.variants.pricesLabel', { sku: row.original.sku })}
            >
              {t('catalog.variants.prices')}
            </Button>
            <Button
              variant="ghost"
              onClick={() => setRemoving(row.original)}
              aria-label={t('catalog.variants.removeLabel', { sku: row.original.sku })}
            >
              {t('catalog.variants.remove')}
            </Button>
          </span>
        ),
      },
    ],
    [t, fmt, channels.data],
  );
  return (
    <Card
      title={t('catalog.variants.title')}
      actions={
        <Button variant="primary" onClick={() => setEditing('new')}>
          {t('catalog.variants.add')}
        </Button>
      }
    >
      <DataTable
        columns={columns}
        data={product.variants}
        caption={t('catalog.variants.title')}
        empty={t('catalog.variants.empty')}
        rowId={(v) => v.id}
      />
      <VariantDialog
        product={product}
        variant={editing === 'new' ? undefined : editing}
        open={editing !== undefined}
        onOpenChange={(o) => !o && setEditing(undefined)}
      />
      <PricesDialog product={product} variant={pricing} onOpenChange={(o) => !o && setPricing(undefined)} />
      <ConfirmDialog
        open={removing !== undefined}
        onOpenChange={(o) => !o && setRemoving(undefined)}
        title={t('catalog.variants.removeTitle', { sku: removing?.sku ?? '' })}
        description={t('catalog.variants.removeText')}
        confirmLabel={t('catalog.variants.remove')}
        busy={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
      />
    </Card>
  );
};
