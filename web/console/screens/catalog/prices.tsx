/**
 * A variant's base price on every channel (PUT /admin/variants/{id}/prices, one channel per call).
 * Scheduled prices (sales with a start) are shown and kept as they are.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ApiError, unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { Button, ProblemAlert, Skeleton } from '../../../kit/ui.tsx';
import {
  type Channel,
  fieldMessage,
  fromMinor,
  keys,
  type Product,
  toMinor,
  useChannels,
  type Variant,
} from './queries.tsx';

/** A refusal already shown next to its field. */
class PlacedError extends Error {}

const Amount = z.string().regex(/^(\d{1,12}([.,]\d{0,3})?)?$/);
const schema = z.object({ prices: z.record(z.string(), z.object({ amount: Amount, compare_at: Amount })) });
type Values = z.infer<typeof schema>;

const baseOf = (v: Variant, c: Channel) =>
  v.prices.find((p) => p.channel_id === c.id && p.currency === c.currency && p.starts_at === null);

const toValues = (v: Variant, channels: Channel[]): Values => ({
  prices: Object.fromEntries(
    channels.map((c) => {
      const base = baseOf(v, c);
      return [
        c.id,
        {
          amount: base ? fromMinor(base.amount, c.currency) : '',
          compare_at: base?.compare_at_amount != null ? fromMinor(base.compare_at_amount, c.currency) : '',
        },
      ];
    }),
  ),
});

const PricesForm = ({
  variant,
  channels,
  onDone,
}: {
  variant: Variant;
  channels: Channel[];
  onDone: () => void;
}) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const initial = toValues(variant, channels);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: initial });
  const save = useMutation({
    mutationFn: async (v: Values) => {
      for (const c of channels) {
        const now = v.prices[c.id];
        const was = initial.prices[c.id];
        if (!now || (now.amount === was?.amount && now.compare_at === was?.compare_at)) continue;
        const amount = toMinor(now.amount, c.currency);
        const compareAt = now.compare_at ? toMinor(now.compare_at, c.currency) : null;
        if ((now.amount && amount === undefined) || compareAt === undefined) {
          form.setError(`prices.${c.id}.amount`, { type: 'server', message: t('catalog.errors.amount') });
          throw new PlacedError(t('catalog.errors.amount'));
        }
        const scheduled = variant.prices
          .filter((p) => p.channel_id === c.id && p.currency === c.currency && p.starts_at !== null)
          .map((p) => ({
            amount: p.amount,
            compare_at_amount: p.compare_at_amount,
            starts_at: p.starts_at,
            ends_at: p.ends_at,
          }));
        const base = amount === undefined ? [] : [{ amount, compare_at_amount: compareAt }];
        try {
          await unwrap(
            staffApi.PUT('/admin/variants/{id}/prices', {
              params: { path: { id: variant.id } },
              body: { channel_id: c.id, currency: c.currency, prices: [...base, ...scheduled] },
            }),
          );
        } catch (e) {
          // The refusal goes next to the field it concerns (compare-at or price) of this channel.
          const api = e instanceof ApiError ? e : undefined;
          const onCompareAt = api?.fieldError('compare_at_amount');
          const message = onCompareAt
            ? t('catalog.errors.compareAt')
            : (api?.fieldError('amount') ?? (e instanceof Error ? e.message : String(e)));
          form.setError(`prices.${c.id}.${onCompareAt ? 'compare_at' : 'amount'}`, {
            type: 'server',
            message,
          });
          throw new PlacedError(message);
        }
      }
    },
    onSettled: () => qc.invalidateQueries({ queryKey: keys.product(variant.product_id) }),
    onSuccess: onDone,
  });
  const errors = form.formState.errors.prices;
  return (
    <form onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
      {channels.map((c) => {
        const scheduled = variant.prices.filter((p) => p.channel_id === c.id && p.starts_at !== null);
        return (
          <fieldset key={c.id} className="pz-catalog-prices">
            <legend>
              {c.name} · {c.currency}
            </legend>
            <Field
              label={t('catalog.prices.amount')}
              inputMode="decimal"
              hint={t('catalog.prices.amountHint')}
              error={fieldMessage(errors?.[c.id]?.amount, t('catalog.errors.amount'))}
              {...form.register(`prices.${c.id}.amount`)}
            />
            <Field
              label={t('catalog.prices.compareAt')}
              inputMode="decimal"
              error={fieldMessage(errors?.[c.id]?.compare_at, t('catalog.errors.amount'))}
              {...form.register(`prices.${c.id}.compare_at`)}
            />
            {scheduled.map((p) => (
              <p key={p.id} className="pz-muted">
                {t('catalog.prices.scheduled', {
                  amount: fmt.money(p.amount, p.currency),
                  from: p.starts_at ? fmt.date(p.starts_at) : '',
                  to: p.ends_at ? fmt.date(p.ends_at) : t('catalog.prices.open'),
                })}
              </p>
            ))}
          </fieldset>
        );
      })}
      {save.isError && !(save.error instanceof PlacedError) && <ProblemAlert error={save.error} />}
      <div className="pz-row">
        <span className="pz-spacer" />
        <Button type="submit" variant="primary" busy={save.isPending}>
          {t('catalog.prices.save')}
        </Button>
      </div>
    </form>
  );
};

export const PricesDialog = ({
  product,
  variant,
  onOpenChange,
}: {
  product: Product;
  variant: Variant | undefined;
  onOpenChange: (open: boolean) => void;
}) => {
  const { t } = useTranslation();
  const channels = useChannels();
  return (
    <Dialog
      open={variant !== undefined}
      onOpenChange={onOpenChange}
      title={t('catalog.prices.title', { sku: variant?.sku ?? '' })}
      description={product.title}
    >
      {!variant || channels.isPending ? (
        <Skeleton lines={4} />
      ) : channels.isError ? (
        <ProblemAlert error={channels.error} onRetry={() => void channels.refetch()} />
      ) : (
        <PricesForm variant={variant} channels={channels.data} onDone={() => onOpenChange(false)} />
      )}
    </Dialog>
  );
};
