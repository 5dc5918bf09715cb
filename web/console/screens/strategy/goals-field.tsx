/**
 * The goals as an ordered choice: the chosen ones numbered, most important first, each movable up
 * or down and removable; the others listed to add (at the end of the order).
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import { Button } from '../../../kit/ui.tsx';
import { GOALS, moveGoal } from './answers-form.ts';

export const GoalsField = ({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (goals: string[]) => void;
  error: string | undefined;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const id = useId();
  const others = GOALS.filter((g) => !value.includes(g));
  const name = (g: string) => t(`strategy.options.goals.${g}`, { defaultValue: g });
  return (
    <fieldset
      className="st-goals"
      aria-describedby={error ? `${id}-err` : `${id}-hint`}
      data-testid="answer-goals"
    >
      <legend>{t('strategy.fields.goals')}</legend>
      <span id={`${id}-hint`} className="pz-hint">
        {t('strategy.questionnaire.hints.goals')}
      </span>
      {value.length > 0 && (
        <ol className="st-goal-list" aria-label={t('strategy.fields.goals')}>
          {value.map((g, i) => (
            <li key={g} data-testid="goal-chosen" data-goal={g}>
              <span className="st-goal-rank">{f.number(i + 1)}</span>
              <span className="st-goal-name">{name(g)}</span>
              <Button
                variant="ghost"
                onClick={() => onChange(moveGoal(value, i, -1))}
                disabled={i === 0}
                aria-label={t('strategy.questionnaire.goalUp', { goal: name(g) })}
              >
                ↑
              </Button>
              <Button
                variant="ghost"
                onClick={() => onChange(moveGoal(value, i, 1))}
                disabled={i === value.length - 1}
                aria-label={t('strategy.questionnaire.goalDown', { goal: name(g) })}
              >
                ↓
              </Button>
              <Button
                variant="ghost"
                onClick={() => onChange(value.filter((x) => x !== g))}
                aria-label={t('strategy.questionnaire.goalRemove', { goal: name(g) })}
              >
                ✕
              </Button>
            </li>
          ))}
        </ol>
      )}
      {others.length > 0 && (
        <div className="pz-row st-goal-add">
          {others.map((g) => (
            <Button key={g} onClick={() => onChange([...value, g])} data-testid={`goal-add-${g}`}>
              {t('strategy.questionnaire.goalAdd', { goal: name(g) })}
            </Button>
          ))}
        </div>
      )}
      {error && (
        <span id={`${id}-err`} className="pz-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
};
