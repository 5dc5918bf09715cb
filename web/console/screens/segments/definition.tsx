/** The form of a computed trait's definition: one set of fields per kind (E's ComputedTraitDefinition). */
import { useTranslation } from 'react-i18next';
import { CheckField, SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import {
  DEFAULT_RISK_DAYS,
  DEFINITION_KINDS,
  type Definition,
  type DefinitionKind,
  riskDays,
} from './data.ts';
import { compact, NumberInput } from './inputs.tsx';

type Any = Partial<{
  windowDays: number;
  channelType: 'online' | 'in_store';
  currency: string;
  event: string;
  inStockOnly: boolean;
  output: 'group' | 'score';
  days: number;
}>;

/** A new definition of a kind, keeping what the previous one had in common. */
export const definitionOf = (kind: DefinitionKind, prev: Any = {}): Definition => {
  const w = prev.windowDays;
  switch (kind) {
    case 'order_count':
      return compact({ kind, windowDays: w, channelType: prev.channelType });
    case 'total_spent':
      return compact({
        kind,
        currency: prev.currency ?? 'USD',
        windowDays: w,
        channelType: prev.channelType,
      });
    case 'event_count':
      return { kind, event: prev.event ?? '', windowDays: w ?? 30 };
    case 'last_event_days':
      return compact({ kind, event: prev.event || undefined });
    case 'last_visit_days':
      return compact({ kind, channelType: prev.channelType });
    case 'favourite_category':
    case 'preferred_store':
    case 'channels_used':
      return compact({ kind, windowDays: w });
    case 'open_cart_value':
      return { kind, inStockOnly: prev.inStockOnly ?? true };
    case 'items_at_risk':
      return { kind, days: prev.days ?? DEFAULT_RISK_DAYS };
    case 'rfm':
      return compact({ kind, currency: prev.currency ?? 'USD', windowDays: w, output: prev.output });
  }
};

const HAS_WINDOW: readonly DefinitionKind[] = [
  'order_count',
  'total_spent',
  'rfm',
  'favourite_category',
  'preferred_store',
  'channels_used',
];
const HAS_CHANNEL: readonly DefinitionKind[] = ['order_count', 'total_spent', 'last_visit_days'];

export const DefinitionFields = ({
  value,
  onChange,
}: {
  value: Definition;
  onChange: (d: Definition) => void;
}) => {
  const { t } = useTranslation();
  const d = value as Any & { kind: DefinitionKind };
  const set = (patch: Any) => onChange(definitionOf(d.kind, { ...d, ...patch }));
  return (
    <div className="pz-stack">
      <SelectField
        label={t('segments.traits.kind')}
        hint={t(`segments.traits.kindHints.${d.kind}`)}
        value={d.kind}
        onChange={(e) => onChange(definitionOf(e.target.value as DefinitionKind, d))}
        data-testid="trait-kind"
      >
        {DEFINITION_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`segments.traits.kinds.${k}`)}
          </option>
        ))}
      </SelectField>
      {(d.kind === 'event_count' || d.kind === 'last_event_days') && (
        <Field
          label={d.kind === 'event_count' ? t('segments.traits.event') : t('segments.traits.eventOptional')}
          value={d.event ?? ''}
          dir="auto"
          onChange={(e) => set({ event: e.target.value })}
        />
      )}
      {(d.kind === 'total_spent' || d.kind === 'rfm') && (
        <Field
          label={t('segments.traits.currency')}
          value={d.currency ?? ''}
          dir="ltr"
          maxLength={3}
          onChange={(e) => set({ currency: e.target.value.toUpperCase() })}
        />
      )}
      {d.kind === 'event_count' && (
        <NumberInput
          label={t('segments.traits.windowDays')}
          value={d.windowDays ?? 30}
          min={1}
          onChange={(n) => set({ windowDays: Math.round(n) })}
        />
      )}
      {HAS_WINDOW.includes(d.kind) && (
        <>
          <CheckField
            label={t('segments.traits.limitWindow')}
            checked={d.windowDays !== undefined}
            onChange={(e) => set({ windowDays: e.target.checked ? 90 : undefined })}
          />
          {d.windowDays !== undefined && (
            <NumberInput
              label={t('segments.traits.windowDays')}
              value={d.windowDays}
              min={1}
              onChange={(n) => set({ windowDays: Math.round(n) })}
            />
          )}
        </>
      )}
      {HAS_CHANNEL.includes(d.kind) && (
        <SelectField
          label={t('segments.traits.channelType')}
          value={d.channelType ?? ''}
          onChange={(e) => set({ channelType: (e.target.value || undefined) as Any['channelType'] })}
        >
          <option value="">{t('segments.traits.channels.all')}</option>
          <option value="online">{t('segments.traits.channels.online')}</option>
          <option value="in_store">{t('segments.traits.channels.in_store')}</option>
        </SelectField>
      )}
      {d.kind === 'rfm' && (
        <SelectField
          label={t('segments.traits.rfmOutput')}
          value={d.output ?? 'group'}
          onChange={(e) => set({ output: e.target.value as 'group' | 'score' })}
        >
          <option value="group">{t('segments.traits.rfmOutputs.group')}</option>
          <option value="score">{t('segments.traits.rfmOutputs.score')}</option>
        </SelectField>
      )}
      {d.kind === 'items_at_risk' && (
        <NumberInput
          label={t('segments.traits.riskDays')}
          hint={t('segments.traits.riskDaysHint')}
          value={d.days ?? DEFAULT_RISK_DAYS}
          min={0}
          onChange={(n) => set({ days: riskDays(n) })}
        />
      )}
      {d.kind === 'open_cart_value' && (
        <CheckField
          label={t('segments.traits.inStockOnly')}
          checked={d.inStockOnly ?? true}
          onChange={(e) => set({ inStockOnly: e.target.checked })}
        />
      )}
    </div>
  );
};
