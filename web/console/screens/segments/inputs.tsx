/** The small inputs of the rule builder: a value test, a comparison, a time window, yes / no / either. */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import {
  CMP_OPS,
  type Cmp,
  type CmpOp,
  parseScalar,
  scalarText,
  VALUE_OPS,
  type ValueOp,
  type Window,
} from './data.ts';

/** A number typed as text (kept while typing, "1." stays), handed up as a number. */
export const NumberInput = ({
  label,
  value,
  onChange,
  min,
  hint,
}: {
  label: string;
  value: number;
  onChange: (n: number) => void;
  min?: number;
  hint?: string;
}) => {
  const [text, setText] = useState(String(value));
  useEffect(() => {
    if (Number(text) !== value) setText(String(value));
  }, [value, text]);
  return (
    <Field
      label={label}
      hint={hint}
      inputMode="decimal"
      value={text}
      dir="ltr"
      onChange={(e) => {
        setText(e.target.value);
        const n = Number(e.target.value.replace(',', '.'));
        if (e.target.value.trim() !== '' && Number.isFinite(n) && (min === undefined || n >= min))
          onChange(n);
      }}
    />
  );
};

/** Text typed for a value test: one value, a comma-separated list for `in`, nothing for `exists`. */
const ValueText = ({
  op,
  value,
  onChange,
}: {
  op: ValueOp;
  value: unknown;
  onChange: (v: unknown) => void;
}) => {
  const { t } = useTranslation();
  const [text, setText] = useState(scalarText(value));
  const parse = (s: string) =>
    op === 'in'
      ? s
          .split(',')
          .map((x) => parseScalar(x.trim()))
          .filter((x) => x !== '')
      : parseScalar(s);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-synced only when the tree's value changes (not while typing)
  useEffect(() => {
    if (scalarText(parse(text)) !== scalarText(value)) setText(scalarText(value));
  }, [value]);
  return (
    <Field
      label={t('segments.rule.value')}
      hint={op === 'in' ? t('segments.rule.listHint') : undefined}
      value={text}
      dir="auto"
      onChange={(e) => {
        setText(e.target.value);
        onChange(parse(e.target.value));
      }}
    />
  );
};

const splitList = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * A comma-separated list (tiers, SKUs), handed up as a list or `undefined` when empty. The text is
 * kept while typing (a trailing comma stays) and re-synced only when the list changes elsewhere.
 */
export const ListInput = ({
  label,
  values,
  onChange,
  dir = 'auto',
}: {
  label: string;
  values: readonly string[] | undefined;
  onChange: (v: string[] | undefined) => void;
  dir?: 'auto' | 'ltr';
}) => {
  const { t } = useTranslation();
  const joined = (values ?? []).join(', ');
  const [text, setText] = useState(joined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-synced only when the tree's value changes (not while typing)
  useEffect(() => {
    if (splitList(text).join(', ') !== joined) setText(joined);
  }, [joined]);
  return (
    <Field
      label={label}
      hint={t('segments.rule.listHint')}
      value={text}
      dir={dir}
      onChange={(e) => {
        setText(e.target.value);
        const list = splitList(e.target.value);
        onChange(list.length ? list : undefined);
      }}
    />
  );
};

/** The operator and value of a trait, computed trait or property test. */
export const ValueTest = ({
  op,
  value,
  onChange,
}: {
  op: ValueOp;
  value: unknown;
  onChange: (t: { op: ValueOp; value?: never }) => void;
}) => {
  const { t } = useTranslation();
  const set = (nextOp: ValueOp, nextValue: unknown) =>
    onChange(
      (nextOp === 'exists' ? { op: nextOp } : { op: nextOp, value: nextValue }) as {
        op: ValueOp;
        value?: never;
      },
    );
  return (
    <>
      <SelectField
        label={t('segments.rule.op')}
        value={op}
        onChange={(e) => {
          const next = e.target.value as ValueOp;
          const v =
            next === 'in'
              ? Array.isArray(value)
                ? value
                : value === undefined || value === ''
                  ? []
                  : [value]
              : Array.isArray(value)
                ? (value[0] ?? '')
                : (value ?? '');
          set(next, v);
        }}
      >
        {VALUE_OPS.map((o) => (
          <option key={o} value={o}>
            {t(`segments.ops.${o}`)}
          </option>
        ))}
      </SelectField>
      {op !== 'exists' && <ValueText op={op} value={value} onChange={(v) => set(op, v)} />}
    </>
  );
};

/** A count or amount compared with a number. */
export const CmpInput = ({
  label,
  cmp,
  onChange,
}: {
  label: string;
  cmp: Cmp;
  onChange: (c: Cmp) => void;
}) => {
  const { t } = useTranslation();
  return (
    <>
      <SelectField
        label={label}
        value={cmp.op}
        onChange={(e) => onChange({ ...cmp, op: e.target.value as CmpOp })}
      >
        {CMP_OPS.map((o) => (
          <option key={o} value={o}>
            {t(`segments.ops.${o}`)}
          </option>
        ))}
      </SelectField>
      <NumberInput
        label={t('segments.rule.number')}
        value={cmp.value}
        onChange={(value) => onChange({ ...cmp, value })}
      />
    </>
  );
};

type Unit = 'ever' | 'days' | 'hours';
const unitOf = (w: Window | undefined): Unit =>
  !w ? 'ever' : 'days' in w ? 'days' : 'hours' in w ? 'hours' : 'ever';
const amountOf = (w: Window | undefined): number =>
  w && 'days' in w ? w.days : w && 'hours' in w ? w.hours : 30;

/** The last N days or hours, or any time (a fixed `since` shows as any time: the builder does not make one). */
export const WindowInput = ({
  label,
  window,
  onChange,
  allowEver = true,
}: {
  label: string;
  window: Window | undefined;
  onChange: (w: Window | undefined) => void;
  allowEver?: boolean;
}) => {
  const { t } = useTranslation();
  const unit = unitOf(window);
  const n = amountOf(window);
  const make = (u: Unit, amount: number): Window | undefined =>
    u === 'days'
      ? { days: Math.max(1, Math.round(amount)) }
      : u === 'hours'
        ? { hours: Math.max(1, Math.round(amount)) }
        : undefined;
  return (
    <>
      <SelectField label={label} value={unit} onChange={(e) => onChange(make(e.target.value as Unit, n))}>
        {allowEver && <option value="ever">{t('segments.window.ever')}</option>}
        <option value="days">{t('segments.window.days')}</option>
        <option value="hours">{t('segments.window.hours')}</option>
      </SelectField>
      {unit !== 'ever' && (
        <NumberInput
          label={t('segments.window.amount')}
          value={n}
          min={1}
          onChange={(x) => onChange(make(unit, x))}
        />
      )}
    </>
  );
};

/** Yes / no / either for an optional boolean. */
export const TriState = ({
  label,
  value,
  onChange,
  either = true,
}: {
  label: string;
  value: boolean | undefined;
  onChange: (v: boolean | undefined) => void;
  either?: boolean;
}) => {
  const { t } = useTranslation();
  return (
    <SelectField
      label={label}
      value={value === undefined ? '' : String(value)}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}
    >
      {either && <option value="">{t('segments.rule.either')}</option>}
      <option value="true">{t('segments.rule.yes')}</option>
      <option value="false">{t('segments.rule.no')}</option>
    </SelectField>
  );
};

export const useLocations = () =>
  useQuery({
    queryKey: ['locations', 'names'],
    queryFn: () => unwrap(staffApi.GET('/admin/locations', { params: { query: { limit: 100 } } })),
    staleTime: 300_000,
  });

/** One store (or any), as a list of ids for the API (`undefined` = any). */
export const StoreSelect = ({
  label,
  ids,
  onChange,
  anyLabel,
}: {
  label: string;
  ids: readonly string[] | undefined;
  onChange: (ids: string[] | undefined) => void;
  anyLabel: string;
}) => {
  const locations = useLocations();
  return (
    <SelectField
      label={label}
      value={ids?.[0] ?? ''}
      onChange={(e) => onChange(e.target.value ? [e.target.value] : undefined)}
    >
      <option value="">{anyLabel}</option>
      {(locations.data?.data ?? []).map((l) => (
        <option key={l.id} value={l.id}>
          {l.name}
        </option>
      ))}
    </SelectField>
  );
};

/** Drops the keys whose value is undefined (the API's objects take no explicit undefined). */
export const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
