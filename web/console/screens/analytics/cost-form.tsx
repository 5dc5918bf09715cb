/**
 * Enters a campaign cost (POST /admin/analytics/costs): a campaign of Plaza's (picked from the list)
 * or an ad campaign known by its UTM name (`utm:<name>`), the medium, the kind of cost, the amount in
 * the currency's units, the day it was incurred and a note. The API's field errors show under their
 * field (its `campaign_id` under the campaign, or the UTM name).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { components } from '../../../kit/api.ts';
import { ApiError, unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card } from '../../../kit/ui.tsx';
import { Problem } from '../customers/ui.tsx';
import { DATE, localDate } from './data.ts';
import { amountToMinor, COST_KINDS, type CostKind, keyKind } from './measure-data.ts';

type Campaign = components['schemas']['Campaign'];

/** The picker's value for an ad campaign known only by its UTM name. */
const UTM = 'utm';
/** Media an ad campaign's costs are usually entered for (any other may be typed). */
const AD_MEDIA = ['cpc', 'social', 'display', 'affiliate', 'video'];
const FIELDS = ['medium', 'kind', 'amount', 'currency', 'incurred_on', 'note'] as const;

const schema = z
  .object({
    campaign: z.string().min(1),
    utm: z.string().trim().max(196),
    medium: z.string().trim().min(1).max(64),
    kind: z.enum(COST_KINDS as [CostKind, ...CostKind[]]),
    amount: z.string().trim(),
    currency: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/),
    incurred_on: z.string().regex(DATE),
    note: z.string().trim().max(500),
  })
  .superRefine((v, ctx) => {
    if (v.campaign === UTM && v.utm === '') ctx.addIssue({ code: 'custom', path: ['utm'] });
    if (amountToMinor(v.amount, v.currency.toUpperCase()) === undefined)
      ctx.addIssue({ code: 'custom', path: ['amount'] });
  });
type Values = z.infer<typeof schema>;

export const CostForm = ({
  campaigns,
  seen,
  timeZone,
  currency,
}: {
  campaigns: readonly Campaign[];
  /** The ad campaigns (`utm:<name>`) and their media the report has rows of: offered as suggestions. */
  seen: readonly { campaign_id: string; medium: string }[];
  timeZone: string;
  currency: string;
}) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const listId = useId();
  const utmListId = useId();
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      campaign: UTM,
      utm: '',
      medium: '',
      kind: 'ad_spend',
      amount: '',
      currency,
      incurred_on: localDate(timeZone),
      note: '',
    },
  });
  const { setValue, watch } = form;
  const dirty = form.formState.dirtyFields;
  const chosen = watch('campaign');
  const picked = campaigns.find((c) => c.id === chosen);
  // the defaults once known (a channel's currency, today in the analytics time zone), unless typed over
  useEffect(() => {
    if (currency && !dirty.currency) setValue('currency', currency);
  }, [currency, dirty.currency, setValue]);
  useEffect(() => {
    if (!dirty.incurred_on) setValue('incurred_on', localDate(timeZone));
  }, [timeZone, dirty.incurred_on, setValue]);
  // a campaign of Plaza's sends on its own media: its first is proposed
  useEffect(() => {
    if (picked && !dirty.medium) setValue('medium', picked.media[0] ?? '');
  }, [picked, dirty.medium, setValue]);
  const save = useMutation({
    mutationFn: (v: Values) => {
      const cur = v.currency.toUpperCase();
      return unwrap(
        staffApi.POST('/admin/analytics/costs', {
          body: {
            campaign_id: v.campaign === UTM ? `utm:${v.utm}` : v.campaign,
            medium: v.medium,
            kind: v.kind,
            amount: amountToMinor(v.amount, cur) ?? 0,
            currency: cur,
            incurred_on: v.incurred_on,
            note: v.note === '' ? null : v.note,
          },
        }),
      );
    },
    onSuccess: () => {
      setValue('amount', '');
      setValue('note', '');
      toast(t('analytics.costs.saved'), 'success');
      return Promise.all([
        qc.invalidateQueries({ queryKey: ['analytics', 'costs'] }),
        qc.invalidateQueries({ queryKey: ['analytics', 'campaigns'] }),
      ]);
    },
    onError: (e) => {
      applyProblemToForm(e, form.setError, FIELDS);
      const campaignError = e instanceof ApiError ? e.fieldError('body.campaign_id') : undefined;
      if (campaignError)
        form.setError(form.getValues('campaign') === UTM ? 'utm' : 'campaign', {
          type: 'server',
          message: campaignError,
        });
    },
  });
  const err = form.formState.errors;
  // a server message when the API refused the value, else the form's own
  const message = (name: keyof Values, own: string) => {
    const e = err[name];
    return e ? (e.type === 'server' ? e.message : own) : undefined;
  };
  const ads = seen.filter((r) => keyKind(r.campaign_id) === 'ad');
  const utmNames = [...new Set(ads.map((r) => r.campaign_id.slice(4)))].sort();
  const media = picked ? picked.media : [...new Set([...ads.map((r) => r.medium), ...AD_MEDIA])];
  return (
    <Card title={t('analytics.costs.addTitle')}>
      <form
        className="an-form-grid"
        onSubmit={form.handleSubmit((v) => save.mutate(v))}
        noValidate
        data-testid="cost-form"
      >
        <SelectField
          label={t('analytics.costs.campaign')}
          error={message('campaign', t('analytics.costs.errors.campaign'))}
          data-testid="cost-campaign"
          {...form.register('campaign')}
        >
          <option value={UTM}>{t('analytics.costs.utmOption')}</option>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        {chosen === UTM && (
          <Field
            label={t('analytics.costs.utm')}
            hint={t('analytics.costs.utmHint')}
            error={message('utm', t('analytics.costs.errors.utm'))}
            dir="auto"
            list={utmListId}
            data-testid="cost-utm"
            {...form.register('utm')}
          />
        )}
        <datalist id={utmListId}>
          {utmNames.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <Field
          label={t('analytics.costs.medium')}
          list={listId}
          error={message('medium', t('analytics.costs.errors.medium'))}
          data-testid="cost-medium"
          {...form.register('medium')}
        />
        <datalist id={listId}>
          {media.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <SelectField
          label={t('analytics.costs.kind')}
          error={message('kind', t('analytics.costs.errors.kind'))}
          options={COST_KINDS.map((k) => ({ value: k, label: t(`analytics.costs.kinds.${k}`) }))}
          data-testid="cost-kind"
          {...form.register('kind')}
        />
        <Field
          label={t('analytics.costs.amount')}
          inputMode="decimal"
          error={message('amount', t('analytics.costs.errors.amount'))}
          data-testid="cost-amount"
          {...form.register('amount')}
        />
        <Field
          label={t('analytics.costs.currency')}
          maxLength={3}
          autoCapitalize="characters"
          error={message('currency', t('analytics.costs.errors.currency'))}
          data-testid="cost-currency"
          {...form.register('currency')}
        />
        <Field
          label={t('analytics.costs.date')}
          type="date"
          error={message('incurred_on', t('analytics.costs.errors.date'))}
          data-testid="cost-date"
          {...form.register('incurred_on')}
        />
        <Field
          label={t('analytics.costs.note')}
          error={message('note', t('analytics.costs.errors.note'))}
          dir="auto"
          data-testid="cost-note"
          {...form.register('note')}
        />
        <div className="pz-row an-form-actions">
          <Button type="submit" variant="primary" busy={save.isPending} data-testid="cost-save">
            {t('analytics.costs.save')}
          </Button>
        </div>
      </form>
      {save.isError && <Problem error={save.error} />}
    </Card>
  );
};
