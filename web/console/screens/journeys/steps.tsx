/** The journey's steps as a list: each step's settings by type, moved up and down, added and removed. */
import { useTranslation } from 'react-i18next';
import { CheckField, SelectField, TextAreaField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { Button } from '../../../kit/ui.tsx';
import { FIELDS, MEDIA, type Medium } from '../campaigns/data.ts';
import {
  type BranchStep,
  type Condition,
  newStep,
  parseScalar,
  type SendStep,
  STEP_TYPES,
  type Step,
} from './data.ts';

const CONDITION_KINDS = ['trait', 'event_count', 'segment'] as const;
type ConditionKind = (typeof CONDITION_KINDS)[number];
const kindOf = (c: Condition): ConditionKind =>
  'trait' in c ? 'trait' : 'event_count' in c ? 'event_count' : 'segment';
const newCondition = (k: ConditionKind): Condition =>
  k === 'trait'
    ? { trait: { key: '' } }
    : k === 'event_count'
      ? { event_count: { event: '', min: 1, within_days: 30 } }
      : { segment: { segment_id: '' } };

const ConditionEditor = ({ c, onChange }: { c: Condition; onChange: (c: Condition) => void }) => {
  const { t } = useTranslation();
  const kind = kindOf(c);
  return (
    <div className="cm-fields">
      <SelectField
        label={t('journeys.condition.kind')}
        value={kind}
        onChange={(e) => onChange(newCondition(CONDITION_KINDS.find((k) => k === e.target.value) ?? kind))}
        options={CONDITION_KINDS.map((k) => ({ value: k, label: t(`journeys.condition.kinds.${k}`) }))}
      />
      {'trait' in c && (
        <>
          <Field
            label={t('journeys.condition.trait')}
            value={c.trait.key}
            dir="ltr"
            onChange={(e) => onChange({ trait: { ...c.trait, key: e.target.value } })}
          />
          <Field
            label={t('journeys.condition.equals')}
            value={c.trait.equals === undefined ? '' : String(c.trait.equals)}
            dir="auto"
            hint={t('journeys.condition.equalsHint')}
            onChange={(e) => {
              const { equals: _drop, ...rest } = c.trait;
              onChange({
                trait: e.target.value === '' ? rest : { ...rest, equals: parseScalar(e.target.value) },
              });
            }}
          />
        </>
      )}
      {'event_count' in c && (
        <>
          <Field
            label={t('journeys.condition.event')}
            value={c.event_count.event}
            dir="auto"
            onChange={(e) => onChange({ event_count: { ...c.event_count, event: e.target.value } })}
          />
          <Field
            label={t('journeys.condition.min')}
            type="number"
            min={1}
            value={c.event_count.min}
            onChange={(e) =>
              onChange({ event_count: { ...c.event_count, min: Number(e.target.value) || 1 } })
            }
          />
          <Field
            label={t('journeys.condition.withinDays')}
            type="number"
            min={1}
            value={c.event_count.within_days ?? ''}
            onChange={(e) =>
              onChange({
                event_count: { ...c.event_count, within_days: Number(e.target.value) || undefined },
              })
            }
          />
        </>
      )}
      {'segment' in c && (
        <Field
          label={t('journeys.condition.segment')}
          value={c.segment.segment_id}
          dir="ltr"
          placeholder="seg_…"
          onChange={(e) => onChange({ segment: { segment_id: e.target.value } })}
        />
      )}
    </div>
  );
};

const SendEditor = ({ s, onChange }: { s: SendStep; onChange: (s: SendStep) => void }) => {
  const { t } = useTranslation();
  const fields = FIELDS[s.medium as Medium] ?? [];
  return (
    <>
      <div className="cm-fields">
        <SelectField
          label={t('journeys.send.medium')}
          value={s.medium}
          onChange={(e) => onChange({ ...s, medium: MEDIA.find((m) => m === e.target.value) ?? s.medium })}
          options={MEDIA.map((m) => ({ value: m, label: t(`campaigns.media.${m}`) }))}
        />
        <SelectField
          label={t('journeys.send.requireStock')}
          value={s.require_stock ?? ''}
          onChange={(e) => {
            const { require_stock: _drop, ...rest } = s;
            const v = e.target.value;
            onChange(v === 'cart' || v === 'watched_item' ? { ...rest, require_stock: v } : rest);
          }}
          options={[
            { value: '', label: t('journeys.send.stock.none') },
            { value: 'cart', label: t('journeys.send.stock.cart') },
            { value: 'watched_item', label: t('journeys.send.stock.watched_item') },
          ]}
        />
      </div>
      <CheckField
        label={t('journeys.send.transactional')}
        checked={!!s.transactional}
        onChange={(e) => onChange({ ...s, transactional: e.target.checked })}
      />
      {fields.map(({ name, long }) => {
        const common = {
          label: t(`campaigns.content.fields.${name}`),
          value: s.content[name] ?? '',
          dir: name === 'url' || name === 'image_url' || name === 'slot' ? 'ltr' : 'auto',
        } as const;
        const set = (v: string) => onChange({ ...s, content: { ...s.content, [name]: v } });
        return long ? (
          <TextAreaField
            key={name}
            {...common}
            rows={name === 'html' ? 6 : 3}
            className="cm-code"
            onChange={(e) => set(e.target.value)}
          />
        ) : (
          <Field key={name} {...common} onChange={(e) => set(e.target.value)} />
        );
      })}
    </>
  );
};

const StepSettings = ({
  step,
  keys,
  onChange,
}: {
  step: Step;
  keys: string[];
  onChange: (s: Step) => void;
}) => {
  const { t } = useTranslation();
  switch (step.type) {
    case 'wait':
      return (
        <Field
          label={t('journeys.wait.minutes')}
          type="number"
          min={1}
          value={step.duration_minutes}
          onChange={(e) => onChange({ ...step, duration_minutes: Number(e.target.value) || 1 })}
        />
      );
    case 'wait_until':
      return (
        <div className="cm-fields">
          <Field
            label={t('journeys.waitUntil.time')}
            type="time"
            value={step.time ?? ''}
            onChange={(e) => onChange({ ...step, time: e.target.value || undefined })}
          />
          <Field
            label={t('journeys.waitUntil.at')}
            value={step.at ?? ''}
            dir="ltr"
            hint={t('journeys.waitUntil.atHint')}
            onChange={(e) => onChange({ ...step, at: e.target.value || undefined })}
          />
          <Field
            label={t('journeys.waitUntil.offset')}
            type="number"
            value={step.offset_minutes ?? ''}
            onChange={(e) =>
              onChange({
                ...step,
                offset_minutes: e.target.value === '' ? undefined : Number(e.target.value),
              })
            }
          />
        </div>
      );
    case 'branch': {
      const target = (k: 'then' | 'else') => (
        <SelectField
          label={t(`journeys.branch.${k}`)}
          value={step[k]}
          onChange={(e) => onChange({ ...step, [k]: e.target.value } as BranchStep)}
          options={keys.map((x) => ({ value: x, label: x }))}
        />
      );
      return (
        <>
          <ConditionEditor c={step.condition} onChange={(condition) => onChange({ ...step, condition })} />
          <div className="cm-fields">
            {target('then')}
            {target('else')}
          </div>
        </>
      );
    }
    case 'send':
      return <SendEditor s={step} onChange={onChange} />;
    case 'update_trait':
      return (
        <div className="cm-fields">
          <Field
            label={t('journeys.updateTrait.trait')}
            value={step.trait}
            dir="ltr"
            onChange={(e) => onChange({ ...step, trait: e.target.value })}
          />
          <Field
            label={t('journeys.updateTrait.value')}
            value={step.value === null ? '' : String(step.value)}
            dir="auto"
            onChange={(e) =>
              onChange({ ...step, value: e.target.value === '' ? null : parseScalar(e.target.value) })
            }
          />
        </div>
      );
    case 'exit':
      return (
        <Field
          label={t('journeys.exit.reason')}
          value={step.reason ?? ''}
          dir="auto"
          onChange={(e) => onChange({ ...step, reason: e.target.value || undefined })}
        />
      );
  }
};

export const StepsEditor = ({ steps, onChange }: { steps: Step[]; onChange: (s: Step[]) => void }) => {
  const { t } = useTranslation();
  const keys = steps.map((s) => s.key);
  const move = (i: number, by: number) => {
    const next = [...steps];
    const [s] = next.splice(i, 1);
    if (s) next.splice(i + by, 0, s);
    onChange(next);
  };
  const add = () => {
    let n = steps.length + 1;
    while (keys.includes(`step_${n}`)) n++;
    onChange([...steps, newStep('wait', `step_${n}`)]);
  };
  return (
    <div className="pz-stack">
      <ol className="cm-steps" aria-label={t('journeys.steps.title')}>
        {steps.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: keys are edited in place (two may be equal while typing)
          <li key={`${i}:${s.key}`} className="cm-step" data-testid="journey-step" data-type={s.type}>
            <div className="cm-fields">
              <Field
                label={t('journeys.steps.key')}
                value={s.key}
                dir="ltr"
                onChange={(e) => onChange(steps.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
              />
              <SelectField
                label={t('journeys.steps.type')}
                value={s.type}
                onChange={(e) => {
                  const type = STEP_TYPES.find((x) => x === e.target.value) ?? s.type;
                  onChange(steps.map((x, j) => (j === i ? newStep(type, x.key) : x)));
                }}
                options={STEP_TYPES.map((x) => ({ value: x, label: t(`journeys.stepTypes.${x}`) }))}
              />
              <span className="pz-spacer" />
              <Button variant="ghost" disabled={i === 0} onClick={() => move(i, -1)}>
                {t('journeys.steps.up')}
              </Button>
              <Button variant="ghost" disabled={i === steps.length - 1} onClick={() => move(i, 1)}>
                {t('journeys.steps.down')}
              </Button>
              <Button
                variant="ghost"
                disabled={steps.length === 1}
                onClick={() => onChange(steps.filter((_, j) => j !== i))}
              >
                {t('journeys.steps.remove')}
              </Button>
            </div>
            <StepSettings
              step={s}
              keys={keys}
              onChange={(next) => onChange(steps.map((x, j) => (j === i ? next : x)))}
            />
          </li>
        ))}
      </ol>
      <div className="pz-row">
        <Button onClick={add} data-testid="journey-add-step">
          {t('journeys.steps.add')}
        </Button>
      </div>
    </div>
  );
};
