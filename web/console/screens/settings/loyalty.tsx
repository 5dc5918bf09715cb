/** The loyalty program (GET/PUT /admin/loyalty/program): earning, point value, tiers, expiry. */
import { zodResolver } from '@hookform/resolvers/zod';
import type { paths } from '@plaza/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useFieldArray, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card } from '../../../kit/ui.tsx';
import { CheckField, Problem, SelectField } from '../customers/ui.tsx';

type Program = paths['/admin/loyalty/program']['get']['responses'][200]['content']['application/json'];
const ROUNDINGS: readonly Program['rounding'][] = ['floor', 'round', 'ceil'];
const POLICIES: readonly Program['expiry']['policy'][] = ['none', 'fixed', 'inactivity'];
const KEY = ['loyalty-program'] as const;

const whole = z.string().trim().regex(/^\d+$/);
const decimal = z
  .string()
  .trim()
  .regex(/^\d+([.,]\d+)?$/);
const schema = z.object({
  enabled: z.boolean(),
  points_per_unit: whole,
  rounding: z.enum(['floor', 'round', 'ceil']),
  point_value: whole,
  auto_enroll: z.boolean(),
  tiers: z.array(
    z.object({ name: z.string().trim().min(1).max(100), min_spend: whole, multiplier: decimal }),
  ),
  policy: z.enum(['none', 'fixed', 'inactivity']),
  days: whole,
});
type Values = z.infer<typeof schema>;

const toValues = (p: Program): Values => ({
  enabled: p.enabled,
  points_per_unit: String(p.points_per_unit),
  rounding: p.rounding,
  point_value: String(p.point_value),
  auto_enroll: p.auto_enroll,
  tiers: p.tiers.map((x) => ({
    name: x.name,
    min_spend: String(x.min_spend),
    multiplier: String(x.multiplier_bps / 10000),
  })),
  policy: p.expiry.policy,
  days: String(p.expiry.days),
});

const ProgramForm = ({ program }: { program: Program }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useForm<Values>({ resolver: zodResolver(schema), values: toValues(program) });
  const tiers = useFieldArray({ control: form.control, name: 'tiers' });
  const save = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        staffApi.PUT('/admin/loyalty/program', {
          body: {
            enabled: v.enabled,
            points_per_unit: Number(v.points_per_unit),
            rounding: v.rounding,
            point_value: Number(v.point_value),
            auto_enroll: v.auto_enroll,
            tiers: v.tiers.map((x) => ({
              name: x.name,
              min_spend: Number(x.min_spend),
              multiplier_bps: Math.round(Number(x.multiplier.replace(',', '.')) * 10000),
            })),
            expiry: { policy: v.policy, days: Number(v.days) },
          },
        }),
      ),
    onSuccess: (p) => {
      qc.setQueryData(KEY, p);
      toast(t('settings.saved'), 'success');
    },
    onError: (e) => applyProblemToForm(e, form.setError, ['points_per_unit', 'point_value', 'tiers', 'days']),
  });
  const err = form.formState.errors;
  const policy = form.watch('policy');
  return (
    <form onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate className="pz-stack">
      <Card title={t('settings.loyalty.earning')}>
        <CheckField label={t('settings.loyalty.enabled')} {...form.register('enabled')} />
        <CheckField label={t('settings.loyalty.autoEnroll')} {...form.register('auto_enroll')} />
        <div className="cx-filters">
          <Field
            label={t('settings.loyalty.pointsPerUnit')}
            hint={t('settings.loyalty.pointsPerUnitHint')}
            inputMode="numeric"
            error={err.points_per_unit && t('settings.errors.whole')}
            {...form.register('points_per_unit')}
          />
          <SelectField
            label={t('settings.loyalty.rounding')}
            options={ROUNDINGS.map((r) => ({ value: r, label: t(`settings.loyalty.roundings.${r}`) }))}
            {...form.register('rounding')}
          />
          <Field
            label={t('settings.loyalty.pointValue')}
            hint={t('settings.loyalty.pointValueHint')}
            inputMode="numeric"
            error={err.point_value && t('settings.errors.whole')}
            {...form.register('point_value')}
          />
        </div>
      </Card>
      <Card title={t('settings.loyalty.tiers')}>
        <p className="pz-muted">{t('settings.loyalty.tiersHint')}</p>
        {tiers.fields.map((field, i) => (
          <div key={field.id} className="cx-filters">
            <Field
              label={t('settings.loyalty.tierName')}
              error={err.tiers?.[i]?.name && t('settings.errors.required')}
              {...form.register(`tiers.${i}.name`)}
            />
            <Field
              label={t('settings.loyalty.minSpend')}
              inputMode="numeric"
              error={err.tiers?.[i]?.min_spend && t('settings.errors.whole')}
              {...form.register(`tiers.${i}.min_spend`)}
            />
            <Field
              label={t('settings.loyalty.multiplier')}
              inputMode="decimal"
              error={err.tiers?.[i]?.multiplier && t('settings.errors.decimal')}
              {...form.register(`tiers.${i}.multiplier`)}
            />
            <div className="pz-field">
              <Button variant="ghost" onClick={() => tiers.remove(i)}>
                {t('settings.loyalty.removeTier')}
              </Button>
            </div>
          </div>
        ))}
        {err.tiers?.message && <p className="pz-error">{err.tiers.message}</p>}
        <Button onClick={() => tiers.append({ name: '', min_spend: '0', multiplier: '1' })}>
          {t('settings.loyalty.addTier')}
        </Button>
      </Card>
      <Card title={t('settings.loyalty.expiry')}>
        <div className="cx-filters">
          <SelectField
            label={t('settings.loyalty.policy')}
            options={POLICIES.map((p) => ({ value: p, label: t(`settings.loyalty.policies.${p}`) }))}
            {...form.register('policy')}
          />
          {policy !== 'none' && (
            <Field
              label={t('settings.loyalty.days')}
              inputMode="numeric"
              error={err.days && t('settings.errors.whole')}
              {...form.register('days')}
            />
          )}
        </div>
      </Card>
      {save.isError && <Problem error={save.error} />}
      <div>
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="loyalty-save">
          {t('settings.loyalty.save')}
        </Button>
      </div>
    </form>
  );
};

const LoyaltySettings = () => {
  const query = useQuery({ queryKey: KEY, queryFn: () => unwrap(staffApi.GET('/admin/loyalty/program')) });
  return <QueryState query={query}>{(p) => <ProgramForm program={p} />}</QueryState>;
};

export default LoyaltySettings;
