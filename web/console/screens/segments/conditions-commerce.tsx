/** The forms of the commerce conditions: orders, online and in store, loyalty, place, cart and stock risk. */
import { useTranslation } from 'react-i18next';
import { CheckField, SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import {
  type CartCond,
  type ChannelMixCond,
  DEFAULT_RISK_DAYS,
  type GeoCond,
  type LoyaltyCond,
  type OrdersCond,
  RISK_WHERE,
  type RiskWhere,
  riskDays,
  type StockRiskCond,
} from './data.ts';
import { CmpInput, compact, ListInput, NumberInput, StoreSelect, TriState, WindowInput } from './inputs.tsx';

const CHANNEL_TYPES = ['web', 'app', 'pos', 'kiosk', 'marketplace', 'social', 'call_center'] as const;
type ChannelType = (typeof CHANNEL_TYPES)[number];

export const OrdersEditor = ({ c, onChange }: { c: OrdersCond; onChange: (c: OrdersCond) => void }) => {
  const { t } = useTranslation();
  const types = c.channelTypes ?? [];
  const toggle = (x: ChannelType, on: boolean) => {
    const next = on ? [...types, x] : types.filter((y) => y !== x);
    onChange(compact({ ...c, channelTypes: next.length ? next : undefined }));
  };
  return (
    <>
      <SelectField
        label={t('segments.rule.ordersMeasure')}
        value={c.revenue ? 'revenue' : 'count'}
        onChange={(e) =>
          onChange(
            compact({
              ...c,
              count: e.target.value === 'count' ? { op: 'gte', value: 1 } : undefined,
              revenue:
                e.target.value === 'revenue' ? { op: 'gte', value: 10000, currency: 'USD' } : undefined,
            }),
          )
        }
      >
        <option value="count">{t('segments.rule.orderCount')}</option>
        <option value="revenue">{t('segments.rule.revenue')}</option>
      </SelectField>
      {c.count && (
        <CmpInput
          label={t('segments.rule.count')}
          cmp={c.count}
          onChange={(count) => onChange({ ...c, count })}
        />
      )}
      {c.revenue && (
        <>
          <CmpInput
            label={t('segments.rule.revenueMinor')}
            cmp={{ op: c.revenue.op, value: c.revenue.value }}
            onChange={(x) => c.revenue && onChange({ ...c, revenue: { ...c.revenue, ...x } })}
          />
          <Field
            label={t('segments.rule.currency')}
            value={c.revenue.currency}
            dir="ltr"
            maxLength={3}
            onChange={(e) =>
              c.revenue &&
              onChange({ ...c, revenue: { ...c.revenue, currency: e.target.value.toUpperCase() } })
            }
          />
        </>
      )}
      <WindowInput
        label={t('segments.rule.within')}
        window={c.within}
        onChange={(within) => onChange(compact({ ...c, within }))}
      />
      <StoreSelect
        label={t('segments.rule.store')}
        anyLabel={t('segments.rule.anyStore')}
        ids={c.locationIds}
        onChange={(locationIds) => onChange(compact({ ...c, locationIds }))}
      />
      <fieldset className="sg-checks">
        <legend>{t('segments.rule.channelTypes')}</legend>
        {CHANNEL_TYPES.map((x) => (
          <CheckField
            key={x}
            label={t(`segments.channelTypes.${x}`)}
            checked={types.includes(x)}
            onChange={(e) => toggle(x, e.target.checked)}
          />
        ))}
      </fieldset>
    </>
  );
};

export const ChannelMixEditor = ({
  c,
  onChange,
}: {
  c: ChannelMixCond;
  onChange: (c: ChannelMixCond) => void;
}) => {
  const { t } = useTranslation();
  return (
    <>
      <TriState
        label={t('segments.rule.online')}
        value={c.online}
        onChange={(online) => onChange(compact({ ...c, online }))}
      />
      <TriState
        label={t('segments.rule.inStore')}
        value={c.inStore}
        onChange={(inStore) => onChange(compact({ ...c, inStore }))}
      />
      <WindowInput
        label={t('segments.rule.within')}
        window={c.within}
        onChange={(within) => onChange(compact({ ...c, within }))}
      />
    </>
  );
};

export const LoyaltyEditor = ({ c, onChange }: { c: LoyaltyCond; onChange: (c: LoyaltyCond) => void }) => {
  const { t } = useTranslation();
  return (
    <>
      <TriState
        label={t('segments.rule.enrolled')}
        value={c.enrolled}
        onChange={(enrolled) => onChange(compact({ ...c, enrolled }))}
      />
      <ListInput
        label={t('segments.rule.tiers')}
        values={c.tiers}
        onChange={(tiers) => onChange(compact({ ...c, tiers }))}
      />
      <CheckField
        label={t('segments.rule.pointsTest')}
        checked={c.points !== undefined}
        onChange={(e) =>
          onChange(compact({ ...c, points: e.target.checked ? { op: 'gte', value: 100 } : undefined }))
        }
      />
      {c.points && (
        <CmpInput
          label={t('segments.rule.points')}
          cmp={c.points}
          onChange={(points) => onChange({ ...c, points })}
        />
      )}
    </>
  );
};

export const GeoEditor = ({ c, onChange }: { c: GeoCond; onChange: (c: GeoCond) => void }) => {
  const { t } = useTranslation();
  const mode = c.withinKm ? 'near' : 'preferred';
  return (
    <>
      <SelectField
        label={t('segments.rule.geoMode')}
        value={mode}
        onChange={(e) =>
          onChange(
            e.target.value === 'near' ? { withinKm: { km: 10 } } : { preferredStore: c.preferredStore ?? [] },
          )
        }
      >
        <option value="near">{t('segments.rule.near')}</option>
        <option value="preferred">{t('segments.rule.preferredStore')}</option>
      </SelectField>
      {c.withinKm ? (
        <>
          <NumberInput
            label={t('segments.rule.km')}
            value={c.withinKm.km}
            min={0}
            onChange={(km) => c.withinKm && onChange({ withinKm: { ...c.withinKm, km } })}
          />
          <StoreSelect
            label={t('segments.rule.ofStore')}
            anyLabel={t('segments.rule.anyStore')}
            ids={c.withinKm.locationIds}
            onChange={(locationIds) =>
              c.withinKm && onChange({ withinKm: compact({ ...c.withinKm, locationIds }) })
            }
          />
        </>
      ) : (
        <StoreSelect
          label={t('segments.rule.store')}
          anyLabel={t('segments.rule.choose')}
          ids={c.preferredStore}
          onChange={(ids) => onChange({ preferredStore: ids ?? [] })}
        />
      )}
    </>
  );
};

export const CartEditor = ({ c, onChange }: { c: CartCond; onChange: (c: CartCond) => void }) => {
  const { t } = useTranslation();
  const open = c.open !== false;
  return (
    <>
      <TriState
        label={t('segments.rule.cartOpen')}
        value={open}
        either={false}
        onChange={(v) => onChange(v === false ? { open: false } : { ...c, open: true })}
      />
      {open && (
        <>
          <CheckField
            label={t('segments.rule.cartValueTest')}
            checked={c.value !== undefined}
            onChange={(e) =>
              onChange(compact({ ...c, value: e.target.checked ? { op: 'gte', value: 5000 } : undefined }))
            }
          />
          {c.value && (
            <CmpInput
              label={t('segments.rule.cartValue')}
              cmp={c.value}
              onChange={(value) => onChange({ ...c, value })}
            />
          )}
          <SelectField
            label={t('segments.rule.inStock')}
            value={c.itemsInStock ?? ''}
            onChange={(e) =>
              onChange(
                compact({
                  ...c,
                  itemsInStock: (e.target.value || undefined) as CartCond['itemsInStock'],
                  ...(e.target.value ? {} : { locationIds: undefined }),
                }),
              )
            }
          >
            <option value="">{t('segments.rule.either')}</option>
            {(['all', 'any', 'none'] as const).map((x) => (
              <option key={x} value={x}>
                {t(`segments.rule.stock.${x}`)}
              </option>
            ))}
          </SelectField>
          <WindowInput
            label={t('segments.rule.idleFor')}
            window={c.idleFor}
            onChange={(idleFor) => onChange(compact({ ...c, idleFor }))}
          />
        </>
      )}
    </>
  );
};

/**
 * An item at risk of a stock-out (the last forecasting run's risks): where it may run out, which
 * items (optional for the cart), and within how many days. The API says when items are missing.
 */
export const StockRiskEditor = ({
  c,
  onChange,
}: {
  c: StockRiskCond;
  onChange: (c: StockRiskCond) => void;
}) => {
  const { t } = useTranslation();
  return (
    <>
      <SelectField
        label={t('segments.rule.riskWhere')}
        hint={t(`segments.rule.riskWhereHints.${c.where}`)}
        value={c.where}
        onChange={(e) => onChange({ ...c, where: e.target.value as RiskWhere })}
      >
        {RISK_WHERE.map((w) => (
          <option key={w} value={w}>
            {t(`segments.rule.riskWheres.${w}`)}
          </option>
        ))}
      </SelectField>
      <ListInput
        label={t('segments.rule.skus')}
        values={c.skus}
        dir="ltr"
        onChange={(skus) => onChange(compact({ ...c, skus }))}
      />
      <ListInput
        label={t('segments.rule.productIds')}
        values={c.productIds}
        dir="ltr"
        onChange={(productIds) => onChange(compact({ ...c, productIds }))}
      />
      <NumberInput
        label={t('segments.rule.riskDays')}
        hint={t('segments.rule.riskDaysHint')}
        value={c.days ?? DEFAULT_RISK_DAYS}
        min={0}
        onChange={(n) => onChange({ ...c, days: riskDays(n) })}
      />
    </>
  );
};
