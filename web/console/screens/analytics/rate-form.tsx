/** Enters one daily rate (PUT /admin/analytics/rates): the API's field errors show under their field. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card } from '../../../kit/ui.tsx';
import { Problem } from '../customers/ui.tsx';
import { analyticsKeys, DATE, localDate } from './data.ts';

const CODE = /^[A-Za-z]{3}$/;
const RATE = /^\d+([.,]\d+)?$/;
const schema = z.object({
  day: z.string().regex(DATE),
  currency: z.string().trim().regex(CODE),
  report_currency: z.string().trim().regex(CODE),
  rate: z
    .string()
    .trim()
    .regex(RATE)
    .refine((v) => Number(v.replace(',', '.')) > 0),
});
type Values = z.infer<typeof schema>;
const FIELDS = ['day', 'currency', 'report_currency', 'rate'] as const;

export const RateForm = ({ timeZone, currency }: { timeZone: string; currency: string }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { day: localDate(timeZone), currency, report_currency: '', rate: '' },
  });
  // the defaults once known (today in the analytics time zone, a channel's currency), unless typed over
  const { setValue } = form;
  const typedDay = form.formState.dirtyFields.day === true;
  const typedCurrency = form.formState.dirtyFields.currency === true;
  useEffect(() => {
    if (!typedDay) setValue('day', localDate(timeZone));
  }, [timeZone, typedDay, setValue]);
  useEffect(() => {
    if (currency && !typedCurrency) setValue('currency', currency);
  }, [currency, typedCurrency, setValue]);
  const save = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        staffApi.PUT('/admin/analytics/rates', {
          body: {
            rates: [
              {
                day: v.day,
                currency: v.currency.trim().toUpperCase(),
                report_currency: v.report_currency.trim().toUpperCase(),
                rate: Number(v.rate.replace(',', '.')),
              },
            ],
          },
        }),
      ),
    onSuccess: () => {
      setValue('rate', '');
      toast(t('analytics.rates.saved'), 'success');
      return qc.invalidateQueries({ queryKey: analyticsKeys.all });
    },
    onError: (e) => applyProblemToForm(e, form.setError, FIELDS),
  });
  const err = form.formState.errors;
  // a server message when the API refused the value, else the form's own
  const message = (name: (typeof FIELDS)[number], own: string) => {
    const e = err[name];
    return e ? (e.type === 'server' ? e.message : own) : undefined;
  };
  return (
    <Card title={t('analytics.rates.addTitle')}>
      <form
        className="an-filters"
        onSubmit={form.handleSubmit((v) => save.mutate(v))}
        noValidate
        data-testid="analytics-rate-form"
      >
        <Field
          label={t('analytics.rates.day')}
          type="date"
          error={message('day', t('analytics.rates.errors.day'))}
          data-testid="analytics-rate-day"
          {...form.register('day')}
        />
        <Field
          label={t('analytics.rates.currency')}
          maxLength={3}
          autoCapitalize="characters"
          error={message('currency', t('analytics.rates.errors.currency'))}
          data-testid="analytics-rate-currency"
          {...form.register('currency')}
        />
        <Field
          label={t('analytics.rates.reportCurrency')}
          maxLength={3}
          autoCapitalize="characters"
          error={message('report_currency', t('analytics.rates.errors.currency'))}
          data-testid="analytics-rate-report-currency"
          {...form.register('report_currency')}
        />
        <Field
          label={t('analytics.rates.rate')}
          inputMode="decimal"
          error={message('rate', t('analytics.rates.errors.rate'))}
          data-testid="analytics-rate-rate"
          {...form.register('rate')}
        />
        <div className="pz-field">
          <Button type="submit" variant="primary" busy={save.isPending} data-testid="analytics-rate-save">
            {t('analytics.rates.save')}
          </Button>
        </div>
      </form>
      <p className="pz-muted">{t('analytics.rates.meaning')}</p>
      {save.isError && <Problem error={save.error} />}
    </Card>
  );
};
