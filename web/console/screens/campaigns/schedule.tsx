/** When the campaign goes: now, at a moment, or at a local time in each recipient's own timezone. */
import { useTranslation } from 'react-i18next';
import { Field } from '../../../kit/form.tsx';
import { Card } from '../../../kit/ui.tsx';
import type { CampaignBody, Schedule } from './data.ts';

const MODES = ['now', 'at', 'local_time'] as const;

/** `2026-12-07T09:30` (the input's local time) from an ISO instant, and back. */
const toLocalInput = (iso: string | undefined): string => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export const ScheduleEditor = ({
  body,
  set,
}: {
  body: CampaignBody;
  set: (patch: Partial<CampaignBody>) => void;
}) => {
  const { t } = useTranslation();
  const s: Schedule = body.schedule ?? { mode: 'now' };
  return (
    <Card title={t('campaigns.editor.schedule')}>
      <fieldset className="cm-media">
        <legend className="visually-hidden">{t('campaigns.editor.schedule')}</legend>
        {MODES.map((m) => (
          <label key={m} className="pz-row">
            <input
              type="radio"
              name="schedule-mode"
              value={m}
              checked={s.mode === m}
              data-testid={`campaign-schedule-${m}`}
              onChange={() => set({ schedule: { mode: m } })}
            />
            <span>{t(`campaigns.schedule.${m}`)}</span>
          </label>
        ))}
      </fieldset>
      {s.mode === 'at' && (
        <div className="cm-fields">
          <Field
            label={t('campaigns.schedule.atField')}
            type="datetime-local"
            value={toLocalInput(s.at)}
            required
            onChange={(e) =>
              set({
                schedule: {
                  mode: 'at',
                  at: e.target.value ? new Date(e.target.value).toISOString() : undefined,
                },
              })
            }
          />
        </div>
      )}
      {s.mode === 'local_time' && (
        <div className="cm-fields">
          <Field
            label={t('campaigns.schedule.date')}
            type="date"
            value={s.date ?? ''}
            required
            onChange={(e) => set({ schedule: { ...s, date: e.target.value } })}
          />
          <Field
            label={t('campaigns.schedule.localTime')}
            type="time"
            value={s.local_time ?? ''}
            required
            hint={t('campaigns.hints.localTime')}
            onChange={(e) => set({ schedule: { ...s, local_time: e.target.value } })}
          />
        </div>
      )}
    </Card>
  );
};
