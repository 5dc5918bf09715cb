/** A new transfer request: from, to, lines and a note. Nothing moves until it is shipped. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useFieldArray, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { Button, ProblemAlert } from '../../../kit/ui.tsx';
import { useLocations } from './common.tsx';
import { emptyLine, LinesEditor, linesSchema } from './lines-editor.tsx';

const schema = z
  .object({
    from_location_id: z.string().min(1),
    to_location_id: z.string().min(1),
    note: z.string().trim().max(500),
    lines: linesSchema(1),
  })
  .refine((v) => v.from_location_id !== v.to_location_id, { path: ['to_location_id'], message: 'same' });
type Input = z.input<typeof schema>;
type Values = z.output<typeof schema>;

export const NewTransferDialog = ({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (id: string) => void;
}) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const locations = useLocations();
  const form = useForm<Input, unknown, Values>({
    resolver: zodResolver(schema),
    defaultValues: { from_location_id: '', to_location_id: '', note: '', lines: [emptyLine] },
  });
  const lines = useFieldArray({ control: form.control, name: 'lines' });
  const mutation = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        staffApi.POST('/admin/inventory/transfers', {
          body: {
            from_location_id: v.from_location_id,
            to_location_id: v.to_location_id,
            lines: v.lines,
            ...(v.note ? { note: v.note } : {}),
          },
        }),
      ),
    onSuccess: (tr) => {
      void qc.invalidateQueries({ queryKey: ['inventory'] });
      onCreated(tr.id);
    },
  });
  const errors = form.formState.errors;
  const options = locations.data?.data ?? [];
  const locationSelect = (name: 'from_location_id' | 'to_location_id', label: string) => (
    <div className="pz-field">
      <label htmlFor={`trf-${name}`}>{label}</label>
      <select id={`trf-${name}`} className="pz-select" {...form.register(name)}>
        <option value="">{t('inventory.common.choose')}</option>
        {options.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
      {errors[name] && (
        <span className="pz-error" role="alert">
          {errors[name]?.message === 'same'
            ? t('inventory.transfers.sameLocation')
            : t('inventory.common.required')}
        </span>
      )}
    </div>
  );
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={t('inventory.transfers.new')}>
      <form onSubmit={form.handleSubmit((v) => mutation.mutate(v))} noValidate className="pz-stack">
        <div className="pz-row">
          {locationSelect('from_location_id', t('inventory.transfers.from'))}
          {locationSelect('to_location_id', t('inventory.transfers.to'))}
        </div>
        <LinesEditor
          fields={lines.fields}
          onAdd={() => lines.append(emptyLine)}
          onRemove={(i) => lines.remove(i)}
          register={(p) => form.register(p)}
          invalid={Boolean(errors.lines)}
          quantityLabel={t('inventory.lines.quantity')}
        />
        <Field label={t('inventory.transfers.note')} {...form.register('note')} />
        {mutation.isError && <ProblemAlert error={mutation.error} />}
        <div className="pz-row">
          <span className="pz-spacer" />
          <Button onClick={onClose}>{t('inventory.common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={mutation.isPending}>
            {t('inventory.transfers.create')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
};
