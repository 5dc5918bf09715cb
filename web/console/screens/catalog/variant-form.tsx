/** Add or edit a variant: SKU, barcode, title, one value per product option, position, weight. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { Button, ProblemAlert } from '../../../kit/ui.tsx';
import { fieldMessage, keys, type Product, placeProblem, type Variant } from './queries.tsx';

const SKU = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const schema = z.object({
  sku: z.string().trim().regex(SKU),
  barcode: z.union([
    z.literal(''),
    z
      .string()
      .trim()
      .regex(/^(\d{8}|\d{12}|\d{13})$/),
  ]),
  title: z.string().trim().max(200),
  options: z.record(z.string(), z.string().trim().min(1)),
  position: z.union([z.literal(''), z.string().regex(/^\d{1,6}$/)]),
  weight_grams: z.union([z.literal(''), z.string().regex(/^\d{1,9}$/)]),
});
type Values = z.infer<typeof schema>;

const toValues = (product: Product, v: Variant | undefined): Values => ({
  sku: v?.sku ?? '',
  barcode: v?.barcode ?? '',
  title: v?.title ?? '',
  options: Object.fromEntries(product.option_names.map((n) => [n, v?.options[n] ?? ''])),
  position: v ? String(v.position) : '',
  weight_grams: v?.weight_grams != null ? String(v.weight_grams) : '',
});

export const VariantDialog = ({
  product,
  variant,
  open,
  onOpenChange,
}: {
  product: Product;
  /** The variant to edit; none to add one. */
  variant?: Variant | undefined;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useForm<Values>({ resolver: zodResolver(schema), values: toValues(product, variant) });
  const [placed, setPlaced] = useState(false);
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        sku: v.sku,
        barcode: v.barcode || null,
        ...(v.title ? { title: v.title } : {}),
        options: v.options,
        ...(v.position ? { position: Number(v.position) } : {}),
        weight_grams: v.weight_grams ? Number(v.weight_grams) : null,
      };
      return unwrap(
        variant
          ? staffApi.PATCH('/admin/products/{id}/variants/{variantId}', {
              params: { path: { id: product.id, variantId: variant.id } },
              body,
            })
          : staffApi.POST('/admin/products/{id}/variants', { params: { path: { id: product.id } }, body }),
      );
    },
    onSuccess: (p) => {
      qc.setQueryData(keys.product(p.id), p);
      void qc.invalidateQueries({ queryKey: keys.products });
      onOpenChange(false);
    },
    onError: (e) => {
      const where = [
        'sku',
        'barcode',
        'title',
        'position',
        'weight_grams',
        ...product.option_names.map((n) => `options.${n}` as const),
      ] as const;
      setPlaced(placeProblem(e, form.setError, where));
    },
  });
  const e = form.formState.errors;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={variant ? t('catalog.variants.editTitle', { sku: variant.sku }) : t('catalog.variants.addTitle')}
    >
      <form onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
        <Field
          label={t('catalog.fields.sku')}
          hint={t('catalog.fields.skuHint')}
          error={fieldMessage(e.sku, t('catalog.errors.sku'))}
          dir="ltr"
          {...form.register('sku')}
        />
        <Field
          label={t('catalog.fields.barcode')}
          hint={t('catalog.fields.barcodeHint')}
          inputMode="numeric"
          error={fieldMessage(e.barcode, t('catalog.errors.barcode'))}
          dir="ltr"
          {...form.register('barcode')}
        />
        {product.option_names.map((n) => (
          <Field
            key={n}
            label={t('catalog.variants.option', { name: n })}
            error={fieldMessage(e.options?.[n], t('catalog.errors.required'))}
            {...form.register(`options.${n}`)}
          />
        ))}
        <Field
          label={t('catalog.fields.variantTitle')}
          hint={t('catalog.fields.variantTitleHint')}
          error={fieldMessage(e.title, t('catalog.errors.required'))}
          {...form.register('title')}
        />
        <div className="pz-row">
          <Field
            label={t('catalog.fields.position')}
            inputMode="numeric"
            error={fieldMessage(e.position, t('catalog.errors.integer'))}
            {...form.register('position')}
          />
          <Field
            label={t('catalog.fields.weight')}
            inputMode="numeric"
            error={fieldMessage(e.weight_grams, t('catalog.errors.integer'))}
            {...form.register('weight_grams')}
          />
        </div>
        {save.isError && !placed && <ProblemAlert error={save.error} />}
        <div className="pz-row">
          <span className="pz-spacer" />
          <Button type="submit" variant="primary" busy={save.isPending}>
            {t('catalog.variants.save')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
};
