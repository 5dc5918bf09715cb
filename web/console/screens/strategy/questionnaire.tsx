/**
 * The questionnaire (GET/PUT /admin/strategy/questionnaire): what only the retailer knows, every
 * field of the API's Answers. Choices are selects, the goals an ordered choice, the stores' roles
 * checkboxes; the budget is typed in major units of its currency and sent in minor units; the
 * API's field errors show on their fields. Below it, what Plaza measures from the shop's own data.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { CheckField, SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card, Skeleton } from '../../../kit/ui.tsx';
import { applyProblemDeep, Problem } from '../customers/ui.tsx';
import {
  ANSWER_FIELDS,
  type AnswerField,
  type AnswerValues,
  answersSchema,
  CATEGORIES,
  COMMERCE_TYPES,
  FREQUENCIES,
  LEVELS,
  MONTHS,
  STORE_ROLES,
  toAnswers,
  toValues,
} from './answers-form.ts';
import { type Questionnaire, strategyKeys, useMeasuresNow, useQuestionnaire } from './data.ts';
import { GoalsField } from './goals-field.tsx';
import { MeasuresTable } from './measures.tsx';
import { monthName } from './names.tsx';
import { StrategyPage } from './page.tsx';
import { RunProblem, useRunAssessment } from './run.tsx';

const CHOICES = {
  commerce_type: COMMERCE_TYPES,
  category: CATEGORIES,
  purchase_frequency: FREQUENCIES,
  competitive_pressure: LEVELS,
  it_maturity: LEVELS,
  personalisation_priority: LEVELS,
} as const;
type ChoiceField = keyof typeof CHOICES;
const NUMBERS = ['store_count', 'years_in_business', 'team_size'] as const;

const QuestionnaireForm = ({ saved, currency }: { saved: Questionnaire; currency: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const run = useRunAssessment((a) => navigate(`/strategy/assessments/${a.id}`));
  const initial = useMemo(() => toValues(saved.answers, currency), [saved.answers, currency]);
  const form = useForm<AnswerValues>({ resolver: zodResolver(answersSchema), defaultValues: initial });
  const { reset } = form;
  useEffect(() => reset(initial), [initial, reset]);
  const save = useMutation({
    mutationFn: (v: AnswerValues) =>
      unwrap(staffApi.PUT('/admin/strategy/questionnaire', { body: toAnswers(v) })),
    onSuccess: (q) => {
      qc.setQueryData(strategyKeys.questionnaire, q);
      void qc.invalidateQueries({ queryKey: strategyKeys.measures });
      toast(t('strategy.questionnaire.saved'), 'success');
    },
    onError: (e) => applyProblemDeep(e, form.setError, ANSWER_FIELDS),
  });
  const err = form.formState.errors;
  const message = (name: AnswerField) => {
    const e = err[name];
    if (!e) return undefined;
    return e.type === 'server' && e.message ? e.message : t(`strategy.questionnaire.errors.${name}`);
  };
  const choice = (name: ChoiceField) => (
    <SelectField
      label={t(`strategy.fields.${name}`)}
      hint={t(`strategy.questionnaire.hints.${name}`)}
      error={message(name)}
      data-testid={`answer-${name}`}
      {...form.register(name)}
    >
      <option value="">{t('strategy.questionnaire.choose')}</option>
      {CHOICES[name].map((v) => (
        <option key={v} value={v}>
          {t(`strategy.options.${name}.${v}`)}
        </option>
      ))}
    </SelectField>
  );
  const number = (name: (typeof NUMBERS)[number] | 'budget_per_year' | 'gross_margin_rate') => (
    <Field
      label={t(`strategy.fields.${name}`)}
      hint={t(`strategy.questionnaire.hints.${name}`)}
      inputMode={name === 'budget_per_year' || name === 'gross_margin_rate' ? 'decimal' : 'numeric'}
      error={message(name)}
      data-testid={`answer-${name}`}
      {...form.register(name)}
    />
  );
  const serverPlaced = save.isError && Object.values(err).some((e) => e?.type === 'server');
  return (
    <form
      className="pz-stack"
      onSubmit={form.handleSubmit((v) => save.mutate(v))}
      noValidate
      data-testid="strategy-questionnaire"
    >
      <Card title={t('strategy.questionnaire.business')}>
        <div className="st-fields">
          {choice('commerce_type')}
          {choice('category')}
          {choice('purchase_frequency')}
          {number('years_in_business')}
          {number('team_size')}
          {choice('it_maturity')}
        </div>
      </Card>
      <Card title={t('strategy.questionnaire.stores')}>
        <div className="st-fields">{number('store_count')}</div>
        <fieldset className="st-checks" aria-describedby="st-roles-hint">
          <legend>{t('strategy.fields.store_roles')}</legend>
          <span id="st-roles-hint" className="pz-hint">
            {t('strategy.questionnaire.hints.store_roles')}
          </span>
          {STORE_ROLES.map((r) => (
            <CheckField
              key={r}
              label={t(`strategy.options.store_roles.${r}`)}
              value={r}
              data-testid={`answer-store-role-${r}`}
              {...form.register('store_roles')}
            />
          ))}
          {message('store_roles') && (
            <span className="pz-error" role="alert" data-testid="answer-store_roles-error">
              {message('store_roles')}
            </span>
          )}
        </fieldset>
      </Card>
      <Card title={t('strategy.questionnaire.market')}>
        <Controller
          control={form.control}
          name="goals"
          render={({ field }) => (
            <GoalsField value={field.value} onChange={field.onChange} error={message('goals')} />
          )}
        />
        <div className="st-fields">
          {choice('competitive_pressure')}
          {choice('personalisation_priority')}
        </div>
      </Card>
      <Card title={t('strategy.questionnaire.money')}>
        <div className="st-fields">
          <Field
            label={t('strategy.fields.currency')}
            hint={t('strategy.questionnaire.hints.currency')}
            maxLength={3}
            autoCapitalize="characters"
            dir="ltr"
            error={message('currency')}
            data-testid="answer-currency"
            {...form.register('currency')}
          />
          {number('budget_per_year')}
          {number('gross_margin_rate')}
          <SelectField
            label={t('strategy.fields.fiscal_year_start')}
            hint={t('strategy.questionnaire.hints.fiscal_year_start')}
            error={message('fiscal_year_start')}
            data-testid="answer-fiscal_year_start"
            options={MONTHS.map((m) => ({ value: String(m), label: monthName(m, f.locale) }))}
            {...form.register('fiscal_year_start')}
          />
        </div>
      </Card>
      {save.isError && !serverPlaced && <Problem error={save.error} />}
      {run.isError && <RunProblem error={run.error} />}
      <div className="pz-row">
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="answers-save">
          {t('strategy.questionnaire.save')}
        </Button>
        {saved.answers && (
          <Button
            onClick={() => run.mutate()}
            busy={run.isPending}
            disabled={form.formState.isDirty}
            data-testid="answers-run"
          >
            {t('strategy.run.now')}
          </Button>
        )}
        {saved.updated_at && (
          <span className="pz-muted">
            {t('strategy.questionnaire.updated', { at: f.date(saved.updated_at) })}
          </span>
        )}
      </div>
    </form>
  );
};

const QuestionnaireScreen = () => {
  const { t } = useTranslation();
  const saved = useQuestionnaire();
  const measures = useMeasuresNow();
  return (
    <StrategyPage>
      <p className="pz-muted">{t('strategy.questionnaire.intro')}</p>
      <QueryState query={saved} lines={10}>
        {(q) =>
          // the shop's currency (from the measures) is the budget's default: the form starts once it is known
          measures.isPending ? (
            <Skeleton lines={10} />
          ) : (
            <QuestionnaireForm saved={q} currency={measures.data?.currency ?? ''} />
          )
        }
      </QueryState>
      <Card title={t('strategy.measures.title')}>
        <p className="pz-muted">{t('strategy.measures.intro')}</p>
        <QueryState query={measures} lines={6}>
          {(m) => <MeasuresTable measures={m.measures} currency={m.currency ?? ''} testId="measures-now" />}
        </QueryState>
      </Card>
    </StrategyPage>
  );
};

export default QuestionnaireScreen;
