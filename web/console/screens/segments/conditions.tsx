/** The editor of one condition of the rule tree, one form per kind (D's schema, docs/segments.md). */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { CheckField, SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { Button } from '../../../kit/ui.tsx';
import type {
  CartCond,
  ChannelMixCond,
  ConsentCond,
  EventCond,
  GeoCond,
  LeafKind,
  LoyaltyCond,
  OrdersCond,
  Rules,
  TraitCond,
} from './data.ts';
import { CmpInput, compact, NumberInput, StoreSelect, TriState, ValueTest, WindowInput } from './inputs.tsx';

const CHANNEL_TYPES = ['web', 'app', 'pos', 'kiosk', 'marketplace', 'social', 'call_center'] as const;
type ChannelType = (typeof CHANNEL_TYPES)[number];

const TraitEditor = ({
  c,
  onChange,
  computed,
}: {
  c: TraitCond;
  onChange: (c: TraitCond) => void;
  computed: boolean;
}) => {
  const { t } = useTranslation();
  const traits = useQuery({
    queryKey: ['computed-traits', 'names'],
    queryFn: () => unwrap(staffApi.GET('/admin/computed-traits')),
    enabled: computed,
    staleTime: 60_000,
  });
  return (
    <>
      {computed ? (
        <SelectField
          label={t('segments.rule.computedTrait')}
          value={c.key}
          onChange={(e) => onChange({ ...c, key: e.target.value })}
        >
          <option value="">{t('segments.rule.choose')}</option>
          {(traits.data?.data ?? []).map((x) => (
            <option key={x.id} value={x.key}>
              {x.name}
            </option>
          ))}
        </SelectField>
      ) : (
        <Field
          label={t('segments.rule.trait')}
          value={c.key}
          dir="ltr"
          onChange={(e) => onChange({ ...c, key: e.target.value })}
        />
      )}
      <ValueTest op={c.op} value={c.value} onChange={(v) => onChange({ key: c.key, ...v })} />
    </>
  );
};

const EventEditor = ({ c, onChange }: { c: EventCond; onChange: (c: EventCond) => void }) => {
  const { t } = useTranslation();
  const mode = c.didNot ? 'didNot' : c.sum ? 'sum' : c.count ? 'count' : 'did';
  const where = c.where ?? [];
  const setMode = (m: string) =>
    onChange(
      compact({
        name: c.name,
        where: c.where,
        within: c.within,
        didNot: m === 'didNot' ? true : undefined,
        count: m === 'count' ? (c.count ?? { op: 'gte', value: 2 }) : undefined,
        sum: m === 'sum' ? (c.sum ?? { property: 'revenue', op: 'gte', value: 100 }) : undefined,
      }) as EventCond,
    );
  return (
    <>
      <Field
        label={t('segments.rule.eventName')}
        value={c.name}
        dir="auto"
        onChange={(e) => onChange({ ...c, name: e.target.value })}
      />
      <SelectField
        label={t('segments.rule.eventMode')}
        value={mode}
        onChange={(e) => setMode(e.target.value)}
      >
        {(['did', 'didNot', 'count', 'sum'] as const).map((m) => (
          <option key={m} value={m}>
            {t(`segments.rule.eventModes.${m}`)}
          </option>
        ))}
      </SelectField>
      {c.count && (
        <CmpInput
          label={t('segments.rule.count')}
          cmp={c.count}
          onChange={(count) => onChange({ ...c, count })}
        />
      )}
      {c.sum && (
        <>
          <Field
            label={t('segments.rule.sumProperty')}
            value={c.sum.property}
            dir="ltr"
            onChange={(e) => c.sum && onChange({ ...c, sum: { ...c.sum, property: e.target.value } })}
          />
          <CmpInput
            label={t('segments.rule.sum')}
            cmp={{ op: c.sum.op, value: c.sum.value }}
            onChange={(x) => c.sum && onChange({ ...c, sum: { ...c.sum, ...x } })}
          />
        </>
      )}
      <WindowInput
        label={t('segments.rule.within')}
        window={c.within}
        onChange={(within) => onChange(compact({ ...c, within }))}
      />
      {where.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: filters have no identity; every input is controlled by the tree
        <div key={i} className="sg-where">
          <Field
            label={t('segments.rule.property')}
            value={f.property}
            dir="ltr"
            onChange={(e) =>
              onChange({
                ...c,
                where: where.map((x, j) => (j === i ? { ...x, property: e.target.value } : x)),
              })
            }
          />
          <ValueTest
            op={f.op}
            value={f.value}
            onChange={(v) =>
              onChange({ ...c, where: where.map((x, j) => (j === i ? { property: x.property, ...v } : x)) })
            }
          />
          <Button
            variant="ghost"
            onClick={() =>
              onChange(
                compact({ ...c, where: where.length > 1 ? where.filter((_x, j) => j !== i) : undefined }),
              )
            }
          >
            {t('segments.rule.removeFilter')}
          </Button>
        </div>
      ))}
      {where.length < 10 && (
        <Button
          variant="ghost"
          onClick={() => onChange({ ...c, where: [...where, { property: '', op: 'eq', value: '' }] })}
        >
          {t('segments.rule.addFilter')}
        </Button>
      )}
    </>
  );
};

const OrdersEditor = ({ c, onChange }: { c: OrdersCond; onChange: (c: OrdersCond) => void }) => {
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

const ChannelMixEditor = ({ c, onChange }: { c: ChannelMixCond; onChange: (c: ChannelMixCond) => void }) => {
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

const LoyaltyEditor = ({ c, onChange }: { c: LoyaltyCond; onChange: (c: LoyaltyCond) => void }) => {
  const { t } = useTranslation();
  return (
    <>
      <TriState
        label={t('segments.rule.enrolled')}
        value={c.enrolled}
        onChange={(enrolled) => onChange(compact({ ...c, enrolled }))}
      />
      <Field
        label={t('segments.rule.tiers')}
        hint={t('segments.rule.listHint')}
        value={(c.tiers ?? []).join(', ')}
        dir="auto"
        onChange={(e) => {
          const tiers = e.target.value
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean);
          onChange(compact({ ...c, tiers: tiers.length ? tiers : undefined }));
        }}
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

const ConsentEditor = ({ c, onChange }: { c: ConsentCond; onChange: (c: ConsentCond) => void }) => {
  const { t } = useTranslation();
  return (
    <SelectField
      label={t('segments.rule.reachable')}
      value={c.reachable}
      onChange={(e) => onChange({ reachable: e.target.value as ConsentCond['reachable'] })}
    >
      {(['email', 'sms', 'push'] as const).map((x) => (
        <option key={x} value={x}>
          {t(`segments.rule.reach.${x}`)}
        </option>
      ))}
    </SelectField>
  );
};

const GeoEditor = ({ c, onChange }: { c: GeoCond; onChange: (c: GeoCond) => void }) => {
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

const CartEditor = ({ c, onChange }: { c: CartCond; onChange: (c: CartCond) => void }) => {
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

/** The form of one condition; `onChange` gets the whole leaf node. */
export const LeafEditor = ({
  kind,
  node,
  onChange,
}: {
  kind: LeafKind;
  node: Rules;
  onChange: (n: Rules) => void;
}) => {
  const n = node as Record<LeafKind, never>;
  switch (kind) {
    case 'trait':
      return <TraitEditor c={n.trait} computed={false} onChange={(trait) => onChange({ trait })} />;
    case 'computedTrait':
      return (
        <TraitEditor c={n.computedTrait} computed onChange={(computedTrait) => onChange({ computedTrait })} />
      );
    case 'event':
      return <EventEditor c={n.event} onChange={(event) => onChange({ event })} />;
    case 'orders':
      return <OrdersEditor c={n.orders} onChange={(orders) => onChange({ orders })} />;
    case 'channelMix':
      return <ChannelMixEditor c={n.channelMix} onChange={(channelMix) => onChange({ channelMix })} />;
    case 'loyalty':
      return <LoyaltyEditor c={n.loyalty} onChange={(loyalty) => onChange({ loyalty })} />;
    case 'consent':
      return <ConsentEditor c={n.consent} onChange={(consent) => onChange({ consent })} />;
    case 'geo':
      return <GeoEditor c={n.geo} onChange={(geo) => onChange({ geo })} />;
    case 'cart':
      return <CartEditor c={n.cart} onChange={(cart) => onChange({ cart })} />;
  }
};
