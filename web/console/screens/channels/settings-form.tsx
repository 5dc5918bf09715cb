/** A channel's name, currency, locale and settings (shipping, tax, holds, returns, country, allowed origins). */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card } from '../../../kit/ui.tsx';
import { toMajor, toMinor } from '../customers/data.ts';
import { applyProblemDeep, CheckField, Problem, SelectField, TextAreaField } from '../customers/ui.tsx';
import { type Channel, type ChannelSettings, channelKeys, MERGE_STRATEGIES } from './data.ts';

const CURRENCY_CODE = /^[A-Za-z]{3}$/;
const money = z
  .string()
  .trim()
  .regex(/^\d+([.,]\d+)?$/);
const whole = z.string().trim().regex(/^\d+$/);
const schema = z.object({
  name: z.string().trim().min(1).max(200),
  currency: z.string().trim().regex(CURRENCY_CODE),
  locale: z.string().trim().min(2).max(35),
  cart_merge_strategy: z.enum(
    MERGE_STRATEGIES as [ChannelSettings['cart_merge_strategy'], ...ChannelSettings['cart_merge_strategy'][]],
  ),
  shipping_flat_rate: money,
  free_shipping_threshold: money.or(z.literal('')),
  checkout_hold_minutes: whole,
  pickup_prep_minutes: whole,
  transfer_lead_hours: whole,
  return_window_days: whole,
  tax_rate_percent: money,
  prices_include_tax: z.boolean(),
  default_country: z
    .string()
    .trim()
    .regex(/^([A-Za-z]{2})?$/),
  allowed_origins: z.string(),
});
type Values = z.infer<typeof schema>;

const toValues = (c: Channel): Values => ({
  name: c.name,
  currency: c.currency,
  locale: c.locale,
  cart_merge_strategy: c.settings.cart_merge_strategy,
  shipping_flat_rate: toMajor(c.settings.shipping_flat_rate, c.currency),
  free_shipping_threshold:
    c.settings.free_shipping_threshold === null
      ? ''
      : toMajor(c.settings.free_shipping_threshold, c.currency),
  checkout_hold_minutes: String(c.settings.checkout_hold_minutes),
  pickup_prep_minutes: String(c.settings.pickup_prep_minutes),
  transfer_lead_hours: String(c.settings.transfer_lead_hours),
  return_window_days: String(c.settings.return_window_days),
  tax_rate_percent: String(c.settings.tax_rate_bps / 100),
  prices_include_tax: c.settings.prices_include_tax,
  default_country: c.settings.default_country ?? '',
  allowed_origins: c.settings.allowed_origins.join('\n'),
});

const FIELDS = [
  'name',
  'currency',
  'locale',
  'cart_merge_strategy',
  'shipping_flat_rate',
  'free_shipping_threshold',
  'checkout_hold_minutes',
  'pickup_prep_minutes',
  'transfer_lead_hours',
  'return_window_days',
  'prices_include_tax',
  'default_country',
  'allowed_origins',
] as const;

export const SettingsForm = ({ channel }: { channel: Channel }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useForm<Values>({ resolver: zodResolver(schema), values: toValues(channel) });
  const save = useMutation({
    mutationFn: (v: Values) => {
      const currency = v.currency.toUpperCase();
      return unwrap(
        staffApi.PATCH('/admin/channels/{id}', {
          params: { path: { id: channel.id } },
          body: {
            name: v.name,
            currency,
            locale: v.locale,
            settings: {
              cart_merge_strategy: v.cart_merge_strategy,
              shipping_flat_rate: toMinor(v.shipping_flat_rate, currency),
              free_shipping_threshold:
                v.free_shipping_threshold === '' ? null : toMinor(v.free_shipping_threshold, currency),
              checkout_hold_minutes: Number(v.checkout_hold_minutes),
              pickup_prep_minutes: Number(v.pickup_prep_minutes),
              transfer_lead_hours: Number(v.transfer_lead_hours),
              return_window_days: Number(v.return_window_days),
              tax_rate_bps: Math.round(Number(v.tax_rate_percent.replace(',', '.')) * 100),
              prices_include_tax: v.prices_include_tax,
              default_country: v.default_country ? v.default_country.toUpperCase() : null,
              allowed_origins: v.allowed_origins
                .split(/\s+/)
                .map((o) => o.trim())
                .filter(Boolean),
            },
          },
        }),
      );
    },
    onSuccess: (c) => {
      qc.setQueryData(channelKeys.one(channel.id), c);
      void qc.invalidateQueries({ queryKey: ['channels', 'list'] });
      toast(t('channels.saved'), 'success');
    },
    // Settings errors come as body.settings.<field>: the kit matches them by their last segment.
    onError: (e) => applyProblemDeep(e, form.setError, FIELDS),
  });
  const err = form.formState.errors;
  const invalid = (name: keyof Values, key: string) => {
    const e = err[name];
    if (!e) return undefined;
    return e.type === 'server' ? e.message : t(`channels.errors.${key}`);
  };
  return (
    <Card title={t('channels.settings')}>
      <form onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
        <div className="cx-two">
          <div>
            <Field
              label={t('channels.fields.name')}
              error={invalid('name', 'name')}
              {...form.register('name')}
            />
            <Field
              label={t('channels.fields.currency')}
              maxLength={3}
              error={invalid('currency', 'currency')}
              {...form.register('currency')}
            />
            <Field
              label={t('channels.fields.locale')}
              hint={t('channels.hints.locale')}
              error={invalid('locale', 'locale')}
              {...form.register('locale')}
            />
            <Field
              label={t('channels.fields.defaultCountry')}
              hint={t('channels.hints.defaultCountry')}
              maxLength={2}
              error={invalid('default_country', 'country')}
              {...form.register('default_country')}
            />
            <SelectField
              label={t('channels.fields.cartMerge')}
              options={MERGE_STRATEGIES.map((s) => ({ value: s, label: t(`channels.mergeStrategies.${s}`) }))}
              {...form.register('cart_merge_strategy')}
            />
            <TextAreaField
              label={t('channels.fields.allowedOrigins')}
              hint={t('channels.hints.allowedOrigins')}
              error={invalid('allowed_origins', 'origins')}
              dir="ltr"
              {...form.register('allowed_origins')}
            />
          </div>
          <div>
            <Field
              label={t('channels.fields.shipping')}
              inputMode="decimal"
              error={invalid('shipping_flat_rate', 'amount')}
              {...form.register('shipping_flat_rate')}
            />
            <Field
              label={t('channels.fields.freeShipping')}
              hint={t('channels.hints.freeShipping')}
              inputMode="decimal"
              error={invalid('free_shipping_threshold', 'amount')}
              {...form.register('free_shipping_threshold')}
            />
            <Field
              label={t('channels.fields.tax')}
              hint={t('channels.hints.tax')}
              inputMode="decimal"
              error={invalid('tax_rate_percent', 'amount')}
              {...form.register('tax_rate_percent')}
            />
            <CheckField
              label={t('channels.fields.pricesIncludeTax')}
              {...form.register('prices_include_tax')}
            />
            <Field
              label={t('channels.fields.holdMinutes')}
              inputMode="numeric"
              error={invalid('checkout_hold_minutes', 'whole')}
              {...form.register('checkout_hold_minutes')}
            />
            <Field
              label={t('channels.fields.prepMinutes')}
              inputMode="numeric"
              error={invalid('pickup_prep_minutes', 'whole')}
              {...form.register('pickup_prep_minutes')}
            />
            <Field
              label={t('channels.fields.transferHours')}
              inputMode="numeric"
              error={invalid('transfer_lead_hours', 'whole')}
              {...form.register('transfer_lead_hours')}
            />
            <Field
              label={t('channels.fields.returnDays')}
              inputMode="numeric"
              error={invalid('return_window_days', 'whole')}
              {...form.register('return_window_days')}
            />
          </div>
        </div>
        {save.isError && <Problem error={save.error} />}
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="channel-save">
          {t('channels.save')}
        </Button>
      </form>
    </Card>
  );
};
