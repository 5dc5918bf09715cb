/** "New product": a title (and optionally a handle), then the product's page for the rest. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { Button, ProblemAlert } from '../../../kit/ui.tsx';
import { fieldMessage, keys, placeProblem } from './queries.tsx';

const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const schema = z.object({
  title: z.string().trim().min(1),
  handle: z.union([z.literal(''), z.string().trim().regex(HANDLE)]),
});
type Values = z.infer<typeof schema>;

export const CreateProductButton = () => {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { title: '', handle: '' } });
  const [placed, setPlaced] = useState(false);
  const create = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        staffApi.POST('/admin/products', {
          body: { title: v.title, ...(v.handle ? { handle: v.handle } : {}) },
        }),
      ),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: keys.products });
      setOpen(false);
      navigate(`/catalog/products/${p.id}`);
    },
    onError: (e) => setPlaced(placeProblem(e, form.setError, ['title', 'handle'])),
  });
  const errors = form.formState.errors;
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        {t('catalog.create.open')}
      </Button>
      <Dialog open={open} onOpenChange={setOpen} title={t('catalog.create.title')}>
        <form onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate>
          <Field
            label={t('catalog.fields.title')}
            error={fieldMessage(errors.title, t('catalog.errors.required'))}
            {...form.register('title')}
          />
          <Field
            label={t('catalog.fields.handle')}
            hint={t('catalog.fields.handleHint')}
            error={fieldMessage(errors.handle, t('catalog.errors.handle'))}
            dir="ltr"
            {...form.register('handle')}
          />
          {create.isError && !placed && <ProblemAlert error={create.error} />}
          <div className="pz-row">
            <span className="pz-spacer" />
            <Button type="submit" variant="primary" busy={create.isPending}>
              {t('catalog.create.submit')}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
};
