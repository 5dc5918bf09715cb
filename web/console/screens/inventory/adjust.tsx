/** A stock adjustment with its reason: a receipt, a restocked return, a correction or a write-off. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, ProblemAlert } from '../../../kit/ui.tsx';
import { useLocations } from './common.tsx';

const KINDS = ['receipt', 'return', 'adjustment', 'write_off'] as const;

const schema = z
  .object({
    sku: z.string().trim().min(1),
    location_id: z.string().min(1),
    kind: z.enum(KINDS),
    delta: z.coerce
      .number()
      .int()
      .refine((n) => n !== 0),
    reason: z.string().trim().min(1).max(500),
  })
  .refine((v) => (v.kind === 'write_off' ? v.delta < 0 : v.kind === 'adjustment' || v.delta > 0), {
    path: ['delta'],
    message: 'sign',
  });
type Input = z.input<typeof schema>;
type Values = z.output<typeof schema>;

export const AdjustDialog = ({
  initial,
  onClose,
}: {
  initial: { sku: string; location_id: string };
  onClose: () => void;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const locations = useLocations();
  const form = useForm<Input, unknown, Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      sku: initial.sku,
      location_id: initial.location_id,
      kind: 'adjustment',
      delta: '',
      reason: '',
    },
  });
  const mutation = useMutation({
    mutationFn: (v: Values) => unwrap(staffApi.POST('/admin/inventory/adjustments', { body: v })),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['inventory'] });
      toast(t('inventory.adjust.done', { sku: r.level.sku, onHand: f.number(r.level.on_hand) }), 'success');
      onClose();
    },
    onError: (e) => applyProblemToForm(e, form.setError, ['sku', 'location_id', 'delta', 'reason']),
  });
  const errors = form.formState.errors;
  const kind = form.watch('kind');
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={t('inventory.adjust.title')}>
      <form onSubmit={form.handleSubmit((v) => mutation.mutate(v))} noValidate>
        <Field
          label={t('inventory.fields.sku')}
          error={errors.sku && t('inventory.common.required')}
          {...form.register('sku')}
        />
        <div className="pz-field">
          <label htmlFor="adj-location">{t('inventory.fields.location')}</label>
          <select id="adj-location" className="pz-select" {...form.register('location_id')}>
            <option value="">{t('inventory.common.choose')}</option>
            {(locations.data?.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
          {errors.location_id && (
            <span className="pz-error" role="alert">
              {errors.location_id.message && errors.location_id.type === 'server'
                ? errors.location_id.message
                : t('inventory.common.required')}
            </span>
          )}
        </div>
        <div className="pz-field">
          <label htmlFor="adj-kind">{t('inventory.adjust.kind')}</label>
          <select id="adj-kind" className="pz-select" {...form.register('kind')}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`inventory.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <Field
          label={t('inventory.adjust.delta')}
          type="number"
          inputMode="numeric"
          hint={t(`inventory.adjust.deltaHint.${kind}`)}
          error={
            errors.delta &&
            (errors.delta.type === 'server' ? errors.delta.message : t(`inventory.adjust.deltaHint.${kind}`))
          }
          {...form.register('delta')}
        />
        <Field
          label={t('inventory.adjust.reason')}
          error={
            errors.reason &&
            (errors.reason.type === 'server' ? errors.reason.message : t('inventory.common.required'))
          }
          {...form.register('reason')}
        />
        {mutation.isError && <ProblemAlert error={mutation.error} />}
        <div className="pz-row">
          <span className="pz-spacer" />
          <Button onClick={onClose}>{t('inventory.common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={mutation.isPending}>
            {t('inventory.adjust.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
};
