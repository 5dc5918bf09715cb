/**
 * Forecasting settings (GET/PATCH /admin/forecasts/settings): the horizon, how locations are made to
 * add up to the SKU total, the time zone of "today", and the replenishment defaults (service level,
 * review period, transfer lead time, the at-risk window, how long a dismissal holds). Used from the
 * next run; only what changed is sent.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card } from '../../../kit/ui.tsx';
import { Problem } from '../customers/ui.tsx';
import { type ForecastSettings, forecastKeys, type SettingsBody, useForecastSettings } from './data.ts';
import { ForecastingPage } from './page.tsx';

const whole = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/)
    .refine((v) => Number(v) >= min && Number(v) <= max);

const RECONCILIATIONS = ['forecast_proportions', 'bottom_up'] as const;

/** The bounds of the API (docs/forecasting.md, "Settings"); the service level is typed as a percentage. */
const schema = z.object({
  horizon_days: whole(7, 120),
  reconciliation: z.enum(RECONCILIATIONS),
  time_zone: z.string().min(1).max(64),
  service_level: z
    .string()
    .trim()
    .regex(/^\d+([.,]\d)?$/)
    .refine((v) => Number(v.replace(',', '.')) >= 50 && Number(v.replace(',', '.')) <= 99.9),
  review_days: whole(1, 90),
  transfer_lead_days: whole(0, 60),
  risk_days: whole(1, 90),
  dismiss_days: whole(1, 90),
});
type Values = z.infer<typeof schema>;
type Name = keyof Values;
const NUMBERS = ['horizon_days', 'review_days', 'transfer_lead_days', 'risk_days', 'dismiss_days'] as const;
const FIELDS: readonly Name[] = [...NUMBERS, 'reconciliation', 'time_zone', 'service_level'];

const isReconciliation = (v: string): v is Values['reconciliation'] =>
  (RECONCILIATIONS as readonly string[]).includes(v);

const values = (s: ForecastSettings): Values => ({
  horizon_days: String(s.horizon_days),
  reconciliation: isReconciliation(s.reconciliation) ? s.reconciliation : 'forecast_proportions',
  time_zone: s.time_zone,
  service_level: String(Math.round(s.service_level * 1000) / 10),
  review_days: String(s.review_days),
  transfer_lead_days: String(s.transfer_lead_days),
  risk_days: String(s.risk_days),
  dismiss_days: String(s.dismiss_days),
});

/** The fields that differ from the saved settings, in the API's types. */
const changes = (v: Values, s: ForecastSettings): SettingsBody => {
  const body: SettingsBody = {};
  for (const k of NUMBERS) if (Number(v[k]) !== s[k]) body[k] = Number(v[k]);
  if (v.reconciliation !== s.reconciliation) body.reconciliation = v.reconciliation;
  if (v.time_zone !== s.time_zone) body.time_zone = v.time_zone;
  const level = Math.round(Number(v.service_level.replace(',', '.')) * 10) / 1000;
  if (level !== s.service_level) body.service_level = level;
  return body;
};

const timeZones = (current: string): string[] => {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return [...new Set([current, 'UTC', ...zones])].sort();
};

const SettingsForm = ({ settings }: { settings: ForecastSettings }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: values(settings) });
  const { reset } = form;
  useEffect(() => reset(values(settings)), [settings, reset]);
  const zones = useMemo(() => timeZones(settings.time_zone), [settings.time_zone]);
  const save = useMutation({
    mutationFn: async (v: Values) => {
      const body = changes(v, settings);
      if (Object.keys(body).length === 0) return settings;
      return unwrap(staffApi.PATCH('/admin/forecasts/settings', { body }));
    },
    onSuccess: (s) => {
      qc.setQueryData(forecastKeys.settings, s);
      toast(t('forecasting.settings.saved'), 'success');
    },
    onError: (e) => applyProblemToForm(e, form.setError, FIELDS),
  });
  const err = form.formState.errors;
  const message = (name: Name) => {
    const e = err[name];
    return e ? (e.type === 'server' ? e.message : t(`forecasting.settings.errors.${name}`)) : undefined;
  };
  const number = (name: (typeof NUMBERS)[number] | 'service_level') => (
    <Field
      label={t(`forecasting.settings.${name}`)}
      hint={t(`forecasting.settings.hints.${name}`)}
      inputMode={name === 'service_level' ? 'decimal' : 'numeric'}
      error={message(name)}
      data-testid={`forecast-setting-${name}`}
      {...form.register(name)}
    />
  );
  return (
    <form
      className="fc-form"
      onSubmit={form.handleSubmit((v) => save.mutate(v))}
      noValidate
      data-testid="forecast-settings"
    >
      <h3 className="fc-h3">{t('forecasting.settings.forecasts')}</h3>
      {number('horizon_days')}
      <SelectField
        label={t('forecasting.settings.reconciliation')}
        hint={t('forecasting.settings.hints.reconciliation')}
        error={message('reconciliation')}
        options={RECONCILIATIONS.map((r) => ({ value: r, label: t(`forecasting.settings.rec.${r}`) }))}
        {...form.register('reconciliation')}
      />
      <SelectField
        label={t('forecasting.settings.time_zone')}
        hint={t('forecasting.settings.hints.time_zone')}
        error={message('time_zone')}
        options={zones.map((z) => ({ value: z, label: z }))}
        {...form.register('time_zone')}
      />
      <h3 className="fc-h3">{t('forecasting.settings.replenishment')}</h3>
      {number('service_level')}
      {number('review_days')}
      {number('transfer_lead_days')}
      {number('risk_days')}
      {number('dismiss_days')}
      {save.isError && <Problem error={save.error} />}
      <Button type="submit" variant="primary" busy={save.isPending} data-testid="forecast-settings-save">
        {t('forecasting.settings.save')}
      </Button>
    </form>
  );
};

const Settings = () => {
  const { t } = useTranslation();
  const settings = useForecastSettings();
  return (
    <ForecastingPage>
      <Card title={t('forecasting.settings.title')}>
        <QueryState query={settings}>{(s) => <SettingsForm settings={s} />}</QueryState>
      </Card>
    </ForecastingPage>
  );
};

export default Settings;
