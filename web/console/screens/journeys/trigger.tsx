/** What makes a customer enter the journey: an event, entering a segment, a date trait, a stock event … */
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import type { Trigger } from './data.ts';

const TYPES = ['event', 'segment_entered', 'date_trait', 'stock', 'fact', 'cart_abandoned'] as const;
type TriggerType = (typeof TYPES)[number];

const fresh = (type: TriggerType): Trigger => {
  switch (type) {
    case 'event':
      return { type, event: '' };
    case 'segment_entered':
      return { type, segment_id: '' };
    case 'date_trait':
      return { type, trait: 'birthday', offset_days: 0 };
    case 'stock':
      return { type, kind: 'back_in_stock' };
    case 'fact':
      return { type, outbox_type: 'pickup.ready' };
    case 'cart_abandoned':
      return { type, idle_minutes: 60 };
  }
};

export const TriggerEditor = ({
  trigger,
  onChange,
}: {
  trigger: Trigger;
  onChange: (t: Trigger) => void;
}) => {
  const { t } = useTranslation();
  return (
    <div className="cm-fields">
      <SelectField
        label={t('journeys.trigger.type')}
        value={trigger.type}
        onChange={(e) => onChange(fresh(TYPES.find((x) => x === e.target.value) ?? trigger.type))}
        options={TYPES.map((x) => ({ value: x, label: t(`journeys.trigger.types.${x}`) }))}
      />
      {trigger.type === 'event' && (
        <Field
          label={t('journeys.trigger.event')}
          value={trigger.event}
          dir="auto"
          onChange={(e) => onChange({ ...trigger, event: e.target.value })}
        />
      )}
      {trigger.type === 'segment_entered' && (
        <Field
          label={t('journeys.condition.segment')}
          value={trigger.segment_id}
          dir="ltr"
          onChange={(e) => onChange({ ...trigger, segment_id: e.target.value })}
        />
      )}
      {trigger.type === 'date_trait' && (
        <>
          <Field
            label={t('journeys.trigger.trait')}
            value={trigger.trait}
            dir="ltr"
            onChange={(e) => onChange({ ...trigger, trait: e.target.value })}
          />
          <Field
            label={t('journeys.trigger.offsetDays')}
            type="number"
            value={trigger.offset_days}
            onChange={(e) => onChange({ ...trigger, offset_days: Number(e.target.value) || 0 })}
          />
        </>
      )}
      {trigger.type === 'fact' && (
        <Field
          label={t('journeys.trigger.fact')}
          value={trigger.outbox_type}
          dir="ltr"
          onChange={(e) => onChange({ ...trigger, outbox_type: e.target.value })}
        />
      )}
      {trigger.type === 'cart_abandoned' && (
        <Field
          label={t('journeys.params.idle_minutes')}
          type="number"
          min={5}
          value={trigger.idle_minutes}
          onChange={(e) => onChange({ ...trigger, idle_minutes: Number(e.target.value) || 5 })}
        />
      )}
    </div>
  );
};
