/**
 * An assessment (`/strategy`: the latest; `/strategy/assessments/:id`): the recommendation with its
 * confidence and scores, warnings, next actions, the factors' contributions, the sensitivity, the
 * projections, the baselines, the measures and answers it used; "Run assessment now", the PDF
 * report and the JSON (the API's own answer).
 */
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { QueryState } from '../../../kit/states.tsx';
import { Button, Card, EmptyState } from '../../../kit/ui.tsx';
import { Actions } from './actions.tsx';
import { ANSWER_FIELDS } from './answers-form.ts';
import { Contributions } from './contributions.tsx';
import { type Assessment, assessmentUrl, reportUrl, useAssessment, useLatestSummary } from './data.ts';
import { MeasuresTable } from './measures.tsx';
import { useNames } from './names.tsx';
import { StrategyPage } from './page.tsx';
import { Projections } from './projections.tsx';
import { RunProblem, useRunAssessment } from './run.tsx';
import { Sensitivity } from './sensitivity.tsx';
import { Baselines, Recommendation, Warnings } from './summary.tsx';

const AnswersUsed = ({ a }: { a: Assessment }) => {
  const { t } = useTranslation();
  const n = useNames();
  return (
    <Card title={t('strategy.assessment.answers')}>
      <details className="st-details">
        <summary>{t('strategy.assessment.showAnswers')}</summary>
        <dl className="st-pairs">
          {ANSWER_FIELDS.map((k) => (
            <div key={k}>
              <dt>{t(`strategy.fields.${k}`)}</dt>
              <dd>{n.value(k, 'answer', a.answers[k], a.answers.currency)}</dd>
            </div>
          ))}
        </dl>
      </details>
    </Card>
  );
};

const View = ({ a }: { a: Assessment }) => {
  const { t } = useTranslation();
  const currency = a.answers.currency;
  return (
    <div className="pz-stack" data-testid="strategy-assessment" data-id={a.id}>
      <Recommendation a={a} />
      <Warnings warnings={a.result.warnings} />
      <Actions assessmentId={a.id} actions={a.result.actions} />
      <Contributions contributions={a.result.contributions} measures={a.measures} currency={currency} />
      <Sensitivity rows={a.result.sensitivity} measures={a.measures} currency={currency} />
      <Projections result={a.result} currency={currency} />
      <Baselines result={a.result} currency={currency} />
      <Card title={t('strategy.assessment.measures')}>
        <MeasuresTable measures={a.measures} currency={currency} testId="measures-used" />
      </Card>
      <AnswersUsed a={a} />
    </div>
  );
};

const ById = ({ id }: { id: string }) => {
  const query = useAssessment(id);
  return (
    <QueryState query={query} lines={12}>
      {(a) => <View a={a} />}
    </QueryState>
  );
};

const Latest = () => {
  const { t } = useTranslation();
  const latest = useLatestSummary();
  return (
    <QueryState query={latest} lines={12}>
      {(s) =>
        s ? (
          <ById id={s.id} />
        ) : (
          <EmptyState title={t('strategy.assessment.none')}>
            <p>
              {t('strategy.assessment.noneHint')}{' '}
              <Link to="/strategy/questionnaire">{t('strategy.run.toQuestionnaire')}</Link>
            </p>
          </EmptyState>
        )
      }
    </QueryState>
  );
};

const Exports = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  return (
    <>
      <a className="pz-btn" href={reportUrl(id)} download={`${id}.pdf`} data-testid="strategy-pdf">
        {t('strategy.assessment.pdf')}
      </a>
      <a className="pz-btn" href={assessmentUrl(id)} download={`${id}.json`} data-testid="strategy-json">
        {t('strategy.assessment.json')}
      </a>
    </>
  );
};

const AssessmentScreen = () => {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const latest = useLatestSummary();
  const run = useRunAssessment((a) => navigate(`/strategy/assessments/${a.id}`));
  const shown = id ?? latest.data?.id;
  return (
    <StrategyPage
      tab={0}
      actions={
        <>
          {shown && <Exports id={shown} />}
          <Button
            variant="primary"
            onClick={() => run.mutate()}
            busy={run.isPending}
            data-testid="strategy-run"
          >
            {t('strategy.run.now')}
          </Button>
        </>
      }
    >
      {run.isError && <RunProblem error={run.error} />}
      {id ? <ById id={id} /> : <Latest />}
    </StrategyPage>
  );
};

export default AssessmentScreen;
