/** A stock count at one location: on hand becomes what was counted, with the difference per line. */

import { zodResolver } from '@hookform/resolvers/zod';
import type { paths } from '@plaza/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { useLocations } from './common.tsx';
import { emptyLine, LinesEditor, linesSchema } from './lines-editor.tsx';
import { InventoryTabs } from './tabs.tsx';

type CountResult = paths['/admin/inventory/counts']['post']['responses'][201]['content']['application/json'];

const schema = z.object({
  location_id: z.string().min(1),
  reason: z.string().trim().max(500),
  lines: linesSchema(0),
});
type Input = z.input<typeof schema>;
type Values = z.output<typeof schema>;

const Counts = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const locations = useLocations();
  const [result, setResult] = useState<CountResult>();
  const form = useForm<Input, unknown, Values>({
    resolver: zodResolver(schema),
    defaultValues: { location_id: '', reason: '', lines: [emptyLine] },
  });
  const lines = useFieldArray({ control: form.control, name: 'lines' });
  const mutation = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        staffApi.POST('/admin/inventory/counts', {
          body: {
            location_id: v.location_id,
            lines: v.lines.map((l) => ({ sku: l.sku, counted: l.quantity })),
            ...(v.reason ? { reason: v.reason } : {}),
          },
        }),
      ),
    onSuccess: (r) => {
      setResult(r);
      void qc.invalidateQueries({ queryKey: ['inventory'] });
      form.reset({ location_id: r.location_id, reason: '', lines: [emptyLine] });
    },
  });
  const errors = form.formState.errors;
  return (
    <div className="pz-stack">
      <h1>{t('inventory.title')}</h1>
      <InventoryTabs />
      <Card title={t('inventory.counts.title')}>
        <p className="pz-muted">{t('inventory.counts.intro')}</p>
        <form onSubmit={form.handleSubmit((v) => mutation.mutate(v))} noValidate className="pz-stack">
          <div className="pz-field">
            <label htmlFor="count-location">{t('inventory.fields.location')}</label>
            <select id="count-location" className="pz-select" {...form.register('location_id')}>
              <option value="">{t('inventory.common.choose')}</option>
              {(locations.data?.data ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
            {errors.location_id && (
              <span className="pz-error" role="alert">
                {t('inventory.common.required')}
              </span>
            )}
          </div>
          <LinesEditor
            fields={lines.fields}
            onAdd={() => lines.append(emptyLine)}
            onRemove={(i) => lines.remove(i)}
            register={(p) => form.register(p)}
            invalid={Boolean(errors.lines)}
            quantityLabel={t('inventory.counts.counted')}
          />
          <Field label={t('inventory.adjust.reason')} {...form.register('reason')} />
          {mutation.isError && <ProblemAlert error={mutation.error} />}
          <div>
            <Button type="submit" variant="primary" busy={mutation.isPending}>
              {t('inventory.counts.submit')}
            </Button>
          </div>
        </form>
      </Card>
      {result && (
        <Card title={t('inventory.counts.result')}>
          <div className="pz-table-wrap">
            <table className="pz-table">
              <caption className="visually-hidden">{t('inventory.counts.result')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('inventory.fields.sku')}</th>
                  <th scope="col">{t('inventory.counts.previous')}</th>
                  <th scope="col">{t('inventory.counts.counted')}</th>
                  <th scope="col">{t('inventory.counts.delta')}</th>
                </tr>
              </thead>
              <tbody>
                {result.lines.map((l) => (
                  <tr key={l.sku}>
                    <td className="pz-mono">{l.sku}</td>
                    <td className="pz-num">{f.number(l.previous)}</td>
                    <td className="pz-num">{f.number(l.counted)}</td>
                    <td className="pz-num">{l.delta > 0 ? `+${f.number(l.delta)}` : f.number(l.delta)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
    </div>
  );
};

export default Counts;
