/** The product's own fields: title, handle, description, status, options, images, attributes, categories, collections. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type Control, Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { SelectField, TextAreaField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import {
  fieldMessage,
  keys,
  type Product,
  placeProblem,
  STATUSES,
  useCategories,
  useCollections,
} from './queries.tsx';

const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const isAttributeList = (s: string) => lines(s).every((l) => /^[^:]+:.*$/.test(l));

const schema = z.object({
  title: z.string().trim().min(1).max(200),
  handle: z.string().trim().regex(HANDLE),
  description: z.string(),
  status: z.enum(STATUSES as [Product['status'], ...Product['status'][]]),
  option_names: z
    .string()
    .refine((s) => s.split(',').filter((x) => x.trim()).length <= 3, { message: 'options' }),
  image_urls: z
    .string()
    .refine((s) => lines(s).every((l) => /^https?:\/\/\S+$/.test(l)), { message: 'urls' }),
  attributes: z.string().refine(isAttributeList, { message: 'attributes' }),
  category_ids: z.array(z.string()),
  collection_ids: z.array(z.string()),
});
type Values = z.infer<typeof schema>;
const FIELDS = [
  'title',
  'handle',
  'description',
  'status',
  'option_names',
  'image_urls',
  'attributes',
  'category_ids',
  'collection_ids',
] as const;

const toValues = (p: Product): Values => ({
  title: p.title,
  handle: p.handle,
  description: p.description,
  status: p.status,
  option_names: p.option_names.join(', '),
  image_urls: p.image_urls.join('\n'),
  attributes: Object.entries(p.attributes)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n'),
  category_ids: p.category_ids,
  collection_ids: p.collection_ids,
});

/** A group of checkboxes bound to a list of ids. */
const CheckList = ({
  control,
  name,
  legend,
  options,
}: {
  control: Control<Values>;
  name: 'category_ids' | 'collection_ids';
  legend: string;
  options: { id: string; label: string }[];
}) => (
  <Controller
    control={control}
    name={name}
    render={({ field }) => (
      <fieldset className="pz-catalog-checks pz-catalog-wide">
        <legend>{legend}</legend>
        {options.map((o) => (
          <label key={o.id} className="pz-row">
            <input
              type="checkbox"
              checked={field.value.includes(o.id)}
              onChange={(e) =>
                field.onChange(
                  e.target.checked ? [...field.value, o.id] : field.value.filter((x) => x !== o.id),
                )
              }
            />
            {o.label}
          </label>
        ))}
      </fieldset>
    )}
  />
);

export const ProductForm = ({ product }: { product: Product }) => {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const categories = useCategories();
  const collections = useCollections();
  const form = useForm<Values>({ resolver: zodResolver(schema), values: toValues(product) });
  const [placed, setPlaced] = useState(false);
  const save = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        staffApi.PATCH('/admin/products/{id}', {
          params: { path: { id: product.id } },
          body: {
            title: v.title,
            handle: v.handle,
            description: v.description,
            status: v.status,
            option_names: v.option_names
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
            image_urls: lines(v.image_urls),
            attributes: Object.fromEntries(
              lines(v.attributes).map((l) => {
                const at = l.indexOf(':');
                return [l.slice(0, at).trim(), l.slice(at + 1).trim()];
              }),
            ),
            category_ids: v.category_ids,
            collection_ids: v.collection_ids,
          },
        }),
      ),
    onSuccess: (p) => {
      qc.setQueryData(keys.product(p.id), p);
      void qc.invalidateQueries({ queryKey: keys.products });
      toast(t('catalog.detail.saved'), 'success');
    },
    onError: (e) => setPlaced(placeProblem(e, form.setError, FIELDS)),
  });
  const e = form.formState.errors;
  return (
    <Card title={t('catalog.detail.details')}>
      <form onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
        <div className="pz-catalog-form">
          <Field
            label={t('catalog.fields.title')}
            error={fieldMessage(e.title, t('catalog.errors.required'))}
            {...form.register('title')}
          />
          <Field
            label={t('catalog.fields.handle')}
            hint={t('catalog.fields.handleHint')}
            error={fieldMessage(e.handle, t('catalog.errors.handle'))}
            dir="ltr"
            {...form.register('handle')}
          />
          <SelectField
            label={t('catalog.fields.status')}
            hint={t('catalog.fields.statusHint')}
            error={fieldMessage(e.status, t('catalog.errors.required'))}
            {...form.register('status')}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`catalog.status.${s}`)}
              </option>
            ))}
          </SelectField>
          <Field
            label={t('catalog.fields.optionNames')}
            hint={t('catalog.fields.optionNamesHint')}
            error={fieldMessage(e.option_names, t('catalog.errors.options'))}
            {...form.register('option_names')}
          />
          <TextAreaField
            className="pz-catalog-wide"
            label={t('catalog.fields.description')}
            error={fieldMessage(e.description, t('catalog.errors.required'))}
            {...form.register('description')}
          />
          <TextAreaField
            label={t('catalog.fields.imageUrls')}
            hint={t('catalog.fields.imageUrlsHint')}
            error={fieldMessage(e.image_urls, t('catalog.errors.urls'))}
            dir="ltr"
            {...form.register('image_urls')}
          />
          <TextAreaField
            label={t('catalog.fields.attributes')}
            hint={t('catalog.fields.attributesHint')}
            error={fieldMessage(e.attributes, t('catalog.errors.attributes'))}
            {...form.register('attributes')}
          />
          <CheckList
            control={form.control}
            name="category_ids"
            legend={t('catalog.fields.categories')}
            options={(categories.data ?? []).map((c) => ({ id: c.id, label: c.name }))}
          />
          <CheckList
            control={form.control}
            name="collection_ids"
            legend={t('catalog.fields.collections')}
            options={(collections.data ?? []).map((c) => ({ id: c.id, label: c.title }))}
          />
        </div>
        {save.isError && !placed && <ProblemAlert error={save.error} />}
        <div className="pz-row">
          <span className="pz-spacer" />
          <Button type="submit" variant="primary" busy={save.isPending} disabled={!form.formState.isDirty}>
            {t('catalog.detail.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
};
