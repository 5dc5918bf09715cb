/**
 * Content per variant and medium. Each variant's templates are checked by the API as they are typed
 * (POST /admin/templates/check, debounced): a problem shows under its field with line and column.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { TextAreaField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Alert, Button, Card } from '../../../kit/ui.tsx';
import {
  type CampaignBody,
  type Content,
  checkContent,
  emptyContent,
  FIELDS,
  type FieldName,
  type Medium,
  type Problems,
  type Variant,
} from './data.ts';

/** The value after it stopped changing for `ms`. */
export const useDebounced = <T,>(value: T, ms: number): T => {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return v;
};

const fieldOf = (content: Content, m: Medium, name: FieldName): string => {
  const c = content[m] as Record<string, string | undefined> | undefined;
  return c?.[name] ?? '';
};

const withField = (content: Content, m: Medium, name: FieldName, value: string): Content => ({
  ...content,
  [m]: { ...(content[m] ?? {}), [name]: value },
});

const useProblems = (content: Content) => {
  const debounced = useDebounced(content, 400);
  return useQuery({
    queryKey: ['templates', 'check', JSON.stringify(debounced)],
    queryFn: () =>
      unwrap(staffApi.POST('/admin/templates/check', { body: { content: checkContent(debounced) } })),
    placeholderData: (prev) => prev,
  });
};

const VariantCard = ({
  variant,
  index,
  media,
  onChange,
  onRemove,
  showAll,
}: {
  variant: Variant;
  index: number;
  media: readonly Medium[];
  onChange: (v: Variant) => void;
  onRemove: (() => void) | undefined;
  showAll: boolean;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const check = useProblems(variant.content);
  // a field's problems show once it was typed in, or after a save was tried (not on an empty form)
  const problems: Problems = (check.data?.problems ?? []).filter(
    (p) => showAll || touched.has(`${p.medium}.${p.field}`),
  );
  const edit = (m: Medium, name: FieldName, value: string) => {
    if (!touched.has(`${m}.${name}`)) setTouched(new Set([...touched, `${m}.${name}`]));
    onChange({ ...variant, content: withField(variant.content, m, name, value) });
  };
  const problemOf = (m: Medium, name: string) =>
    problems
      .filter((p) => p.medium === m && p.field === name)
      .map((p) =>
        p.line
          ? t('campaigns.content.problemAt', {
              message: p.message,
              line: f.number(p.line),
              column: f.number(p.column ?? 1),
            })
          : p.message,
      )
      .join(' ') || undefined;
  return (
    <Card
      title={t('campaigns.content.variant', { key: variant.key.toUpperCase() })}
      actions={
        onRemove && (
          <Button variant="ghost" onClick={onRemove}>
            {t('campaigns.content.removeVariant')}
          </Button>
        )
      }
    >
      <div className="cm-fields">
        <Field
          label={t('campaigns.content.split')}
          type="number"
          min={0}
          max={100}
          value={variant.split}
          data-testid={`campaign-split-${index}`}
          onChange={(e) => onChange({ ...variant, split: Number(e.target.value) || 0 })}
        />
      </div>
      {media.map((m) =>
        FIELDS[m].length === 0 ? (
          <p key={m} className="pz-muted">
            {t('campaigns.content.noFields', { medium: t(`campaigns.media.${m}`) })}
          </p>
        ) : (
          <fieldset key={m} className="cm-medium" data-testid={`campaign-content-${m}`}>
            <legend>{t(`campaigns.media.${m}`)}</legend>
            {FIELDS[m].map(({ name, long }) => {
              const common = {
                label: t(`campaigns.content.fields.${name}`),
                value: fieldOf(variant.content, m, name),
                error: problemOf(m, name),
                dir: name === 'url' || name === 'image_url' || name === 'slot' ? 'ltr' : 'auto',
                'data-testid': `campaign-${m}-${name}-${index}`,
              } as const;
              return long ? (
                <TextAreaField
                  key={name}
                  {...common}
                  rows={name === 'html' ? 8 : 3}
                  className="cm-code"
                  onChange={(e) => edit(m, name, e.target.value)}
                />
              ) : (
                <Field key={name} {...common} onChange={(e) => edit(m, name, e.target.value)} />
              );
            })}
          </fieldset>
        ),
      )}
      {problems.length > 0 && (
        <Alert tone="warning">
          <span data-testid="campaign-template-problems">
            {t('campaigns.content.problems', { count: problems.length })}
          </span>
        </Alert>
      )}
    </Card>
  );
};

const KEYS = 'abcdefghij';

export const VariantsEditor = ({
  body,
  set,
  showAll,
}: {
  body: CampaignBody;
  set: (patch: Partial<CampaignBody>) => void;
  /** every problem, also of fields not typed in yet (after a save was tried) */
  showAll: boolean;
}) => {
  const { t } = useTranslation();
  const total = body.variants.reduce((s, v) => s + v.split, 0);
  const add = () => {
    const key = [...KEYS].find((k) => !body.variants.some((v) => v.key === k)) ?? `v${body.variants.length}`;
    const even = Math.floor(100 / (body.variants.length + 1));
    const variants = [
      ...body.variants.map((v) => ({ ...v, split: even })),
      { key, split: 100 - even * body.variants.length, content: emptyContent(body.media) },
    ];
    set({ variants });
  };
  return (
    <section className="pz-stack" aria-label={t('campaigns.editor.content')}>
      <div className="pz-row">
        <h2>{t('campaigns.editor.content')}</h2>
        <span className="pz-spacer" />
        {body.variants.length < KEYS.length && (
          <Button onClick={add} data-testid="campaign-add-variant">
            {t('campaigns.content.addVariant')}
          </Button>
        )}
      </div>
      <p className="pz-muted">{t('campaigns.hints.content')}</p>
      {total !== 100 && <Alert tone="warning">{t('campaigns.content.splitTotal', { total })}</Alert>}
      {body.variants.map((v, i) => (
        <VariantCard
          key={v.key}
          variant={v}
          index={i}
          media={body.media}
          showAll={showAll}
          onChange={(next) => set({ variants: body.variants.map((x, j) => (j === i ? next : x)) })}
          onRemove={
            body.variants.length > 1
              ? () => set({ variants: body.variants.filter((_, j) => j !== i) })
              : undefined
          }
        />
      ))}
    </section>
  );
};
