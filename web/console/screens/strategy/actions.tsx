/**
 * The next actions, tied to Plaza's features: each with why, its expected effect and how it will be
 * measured. Accept records the acceptance (POST /admin/strategy/actions/accept) and opens the
 * console screen that does it, prefilled through its query string.
 */
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Button, Card } from '../../../kit/ui.tsx';
import { Problem } from '../customers/ui.tsx';
import { type Action, prefillPath } from './data.ts';
import { useNames } from './names.tsx';

const ActionItem = ({ assessmentId, action }: { assessmentId: string; action: Action }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const navigate = useNavigate();
  const accept = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.POST('/admin/strategy/actions/accept', {
          body: { assessment_id: assessmentId, action_key: action.key },
        }),
      ),
    onSuccess: (a) => navigate(prefillPath(a.screen.replace(/^\/console(?=\/)/, ''), a.prefill)),
  });
  return (
    <li
      className="st-action"
      data-testid="strategy-action"
      data-action={action.key}
      data-screen={action.screen}
    >
      <div className="pz-row">
        <span
          className="st-priority"
          title={t('strategy.actions.priority', { n: f.number(action.priority) })}
        >
          <span aria-hidden="true">{f.number(action.priority)}</span>
          <span className="visually-hidden">
            {t('strategy.actions.priority', { n: f.number(action.priority) })}
          </span>
        </span>
        <h3 className="st-h3">{n.phrase(action.title)}</h3>
        <span className="pz-spacer" />
        <Button
          variant="primary"
          onClick={() => accept.mutate()}
          busy={accept.isPending}
          data-testid="action-accept"
        >
          {t('strategy.actions.accept')}
        </Button>
      </div>
      <dl className="st-pairs">
        <div>
          <dt>{t('strategy.actions.why')}</dt>
          <dd>{n.phrase(action.why)}</dd>
        </div>
        <div>
          <dt>{t('strategy.actions.effect')}</dt>
          <dd>{n.phrase(action.expected_effect)}</dd>
        </div>
        <div>
          <dt>{t('strategy.actions.measured')}</dt>
          <dd>{n.phrase(action.measured_by)}</dd>
        </div>
      </dl>
      {accept.isError && <Problem error={accept.error} />}
    </li>
  );
};

export const Actions = ({ assessmentId, actions }: { assessmentId: string; actions: readonly Action[] }) => {
  const { t } = useTranslation();
  return (
    <Card title={t('strategy.actions.title')}>
      <p className="pz-muted">{t('strategy.actions.intro')}</p>
      {actions.length === 0 ? (
        <p className="pz-muted">{t('strategy.actions.none')}</p>
      ) : (
        <ol className="st-actions">
          {[...actions]
            .sort((a, b) => a.priority - b.priority)
            .map((a) => (
              <ActionItem key={a.key} assessmentId={assessmentId} action={a} />
            ))}
        </ol>
      )}
    </Card>
  );
};
