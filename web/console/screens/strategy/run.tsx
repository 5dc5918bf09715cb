/**
 * "Run assessment now" (POST /admin/strategy/assessments): the new assessment goes into the cache,
 * the lists are asked again, and the caller decides where to go. A questionnaire not yet answered
 * is refused with STRATEGY_NO_ANSWERS, which the button's screen shows with a link to it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, unwrap } from '../../../kit/api.ts';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert } from '../../../kit/ui.tsx';
import { Problem } from '../customers/ui.tsx';
import { type Assessment, strategyKeys } from './data.ts';

export const useRunAssessment = (onDone: (a: Assessment) => void) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: () => unwrap(staffApi.POST('/admin/strategy/assessments', { body: {} })),
    onSuccess: async (a) => {
      qc.setQueryData(strategyKeys.one(a.id), a);
      await qc.invalidateQueries({ queryKey: ['strategy', 'assessments'] });
      toast(t('strategy.run.done'), 'success');
      onDone(a);
    },
  });
};

/** The refusal of a run: the questionnaire to fill when that is why, else the problem. */
export const RunProblem = ({ error }: { error: unknown }) => {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.code === 'STRATEGY_NO_ANSWERS')
    return (
      <Alert tone="warning">
        {t('strategy.run.noAnswers')}{' '}
        <Link to="/strategy/questionnaire">{t('strategy.run.toQuestionnaire')}</Link>
      </Alert>
    );
  return <Problem error={error} />;
};
