/**
 * Analytics settings (GET/PATCH /admin/analytics/settings): the time zone the days are counted in, the
 * attribution lookback and the time-decay half-life (changing any of these rebuilds every day in the
 * background), and the smallest number of people a row of a CSV export may describe (smaller rows are
 * left blank).
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
import { type AnalyticsSettings, analyticsKeys, useAnalyticsSettings } from './data.ts';
import { AnalyticsPage } from './page.tsx';

/** A whole number typed in a field, from `min` to `max`. */
const whole = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/)
    .refine((v) => Number(v) >= min && Number(v) <= max);

const schema = z.object({
  time_zone: z.string().min(1).max(64),
  lookback_days: whole(1, 90),
  half_life_hours: whole(1, 2160),
  min_cell_size: whole(1, 1000),
});
const FIELDS = ['time_zone', 'lookback_days', 'half_life_hours', 'min_cell_size'] as const;
type Values = z.infer<typeof schema>;

/** The browser's list of IANA zones, with the current one (which the browser may not list, as UTC). */
const timeZones = (current: string): string[] => {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return [...new Set([current, 'UTC', ...zones])].sort();
};

const values = (s: AnalyticsSettings): Values => ({
  time_zone: s.time_zone,
  lookback_days: String(s.lookback_days),
  half_life_hours: String(s.half_life_hours),
  min_cell_size: String(s.min_cell_size),
});

const SettingsForm = ({ settings }: { settings: AnalyticsSettings }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: values(settings) });
  const { reset } = form;
  useEffect(() => reset(values(settings)), [settings, reset]);
  const zones = useMemo(() => timeZones(settings.time_zone), [settings.time_zone]);
  const save = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        staffApi.PATCH('/admin/analytics/settings', {
          body: {
            // only what changed: a change of these rebuilds every day
            ...(v.time_zone !== settings.time_zone ? { time_zone: v.time_zone } : {}),
            ...(Number(v.lookback_days) !== settings.lookback_days
              ? { lookback_days: Number(v.lookback_days) }
              : {}),
            ...(Number(v.half_life_hours) !== settings.half_life_hours
              ? { half_life_hours: Number(v.half_life_hours) }
              : {}),
            min_cell_size: Number(v.min_cell_size),
          },
        }),
      ),
    onSuccess: (s) => {
      qc.setQueryData(analyticsKeys.settings, s);
      toast(t('analytics.settings.saved'), 'success');
      // the reports change with the time zone, the lookback and the half-life
      return qc.invalidateQueries({
        predicate: (q) => q.queryKey[0] === 'analytics' && q.queryKey[1] !== 'settings',
      });
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
    <form
      className="an-form"
      onSubmit={form.handleSubmit((v) => save.mutate(v))}
      noValidate
      data-testid="analytics-settings"
    >
      <SelectField
        label={t('analytics.settings.timeZone')}
        hint={t('analytics.settings.timeZoneHint')}
        error={err.time_zone?.message}
        options={zones.map((z) => ({ value: z, label: z }))}
        data-testid="analytics-time-zone"
        {...form.register('time_zone')}
      />
      <Field
        label={t('analytics.settings.lookback')}
        hint={t('analytics.settings.lookbackHint')}
        inputMode="numeric"
        error={message('lookback_days', t('analytics.settings.lookbackError'))}
        data-testid="analytics-lookback"
        {...form.register('lookback_days')}
      />
      <Field
        label={t('analytics.settings.halfLife')}
        hint={t('analytics.settings.halfLifeHint')}
        inputMode="numeric"
        error={message('half_life_hours', t('analytics.settings.halfLifeError'))}
        data-testid="analytics-half-life"
        {...form.register('half_life_hours')}
      />
      <Field
        label={t('analytics.settings.minCell')}
        hint={t('analytics.settings.minCellHint')}
        inputMode="numeric"
        error={message('min_cell_size', t('analytics.settings.minCellError'))}
        data-testid="analytics-min-cell"
        {...form.register('min_cell_size')}
      />
      {save.isError && <Problem error={save.error} />}
      <Button type="submit" variant="primary" busy={save.isPending} data-testid="analytics-settings-save">
        {t('analytics.settings.save')}
      </Button>
    </form>
  );
};

const Settings = () => {
  const { t } = useTranslation();
  const settings = useAnalyticsSettings();
  return (
    <AnalyticsPage>
      <Card title={t('analytics.settings.title')}>
        <QueryState query={settings}>{(s) => <SettingsForm settings={s} />}</QueryState>
      </Card>
    </AnalyticsPage>
  );
};

export default Settings;
