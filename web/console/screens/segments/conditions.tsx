/** The editor of one condition of the rule tree, one form per kind (D's schema, docs/segments.md). */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { Button } from '../../../kit/ui.tsx';
import {
  CartEditor,
  ChannelMixEditor,
  GeoEditor,
  LoyaltyEditor,
  OrdersEditor,
  StockRiskEditor,
} from './conditions-commerce.tsx';
import type { ConsentCond, EventCond, Rules, TraitCond } from './data.ts';
import { CmpInput, compact, ValueTest, WindowInput } from './inputs.tsx';

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

/** The form of one condition (a leaf node); `onChange` gets the whole leaf node. */
export const LeafEditor = ({ node, onChange }: { node: Rules; onChange: (n: Rules) => void }) => {
  if ('trait' in node)
    return <TraitEditor c={node.trait} computed={false} onChange={(trait) => onChange({ trait })} />;
  if ('computedTrait' in node)
    return (
      <TraitEditor
        c={node.computedTrait}
        computed
        onChange={(computedTrait) => onChange({ computedTrait })}
      />
    );
  if ('event' in node) return <EventEditor c={node.event} onChange={(event) => onChange({ event })} />;
  if ('orders' in node) return <OrdersEditor c={node.orders} onChange={(orders) => onChange({ orders })} />;
  if ('channelMix' in node)
    return <ChannelMixEditor c={node.channelMix} onChange={(channelMix) => onChange({ channelMix })} />;
  if ('loyalty' in node)
    return <LoyaltyEditor c={node.loyalty} onChange={(loyalty) => onChange({ loyalty })} />;
  if ('consent' in node)
    return <ConsentEditor c={node.consent} onChange={(consent) => onChange({ consent })} />;
  if ('geo' in node) return <GeoEditor c={node.geo} onChange={(geo) => onChange({ geo })} />;
  if ('cart' in node) return <CartEditor c={node.cart} onChange={(cart) => onChange({ cart })} />;
  if ('stockRisk' in node)
    return <StockRiskEditor c={node.stockRisk} onChange={(stockRisk) => onChange({ stockRisk })} />;
  return null;
};
