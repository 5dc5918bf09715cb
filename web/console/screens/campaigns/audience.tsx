/** The campaign's audience: a segment (with its size, and the campaign's live count once saved) or an uploaded list. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Card } from '../../../kit/ui.tsx';
import { type CampaignBody, campaignKeys } from './data.ts';
import { UploadList } from './upload.tsx';

export const Audience = ({
  campaignId,
  body,
  set,
}: {
  campaignId: string | undefined;
  body: CampaignBody;
  set: (patch: Partial<CampaignBody>) => void;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const [kind, setKind] = useState<'segment' | 'list'>(body.list_id ? 'list' : 'segment');
  const segments = useQuery({
    queryKey: ['segments', 'list', false],
    queryFn: () => unwrap(staffApi.GET('/admin/segments', { params: { query: { limit: 100 } } })),
  });
  const lists = useQuery({
    queryKey: ['audience-lists'],
    enabled: kind === 'list',
    queryFn: () => unwrap(staffApi.GET('/admin/audience-lists', { params: { query: { limit: 100 } } })),
  });
  // the live count of a saved campaign (consent and suppressions applied by the API)
  const live = useQuery({
    queryKey: [...campaignKeys.count(campaignId ?? ''), body.segment_id, body.list_id],
    enabled: !!campaignId,
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/campaigns/{id}/audience-count', { params: { path: { id: campaignId ?? '' } } }),
      ),
  });
  const segment = segments.data?.data.find((s) => s.id === body.segment_id);
  const list = lists.data?.data.find((l) => l.id === body.list_id);
  const size = kind === 'segment' ? segment?.size : list?.rows_matched;
  const count = live.data?.count ?? size;
  return (
    <Card title={t('campaigns.editor.audience')}>
      <div className="cm-fields">
        <SelectField
          label={t('campaigns.audience.kind')}
          value={kind}
          onChange={(e) => {
            setKind(e.target.value === 'list' ? 'list' : 'segment');
            set({ segment_id: null, list_id: null });
          }}
          options={[
            { value: 'segment', label: t('campaigns.audience.segment') },
            { value: 'list', label: t('campaigns.audience.list') },
          ]}
        />
        {kind === 'segment' ? (
          <SelectField
            label={t('campaigns.audience.segment')}
            value={body.segment_id ?? ''}
            required
            data-testid="campaign-segment"
            onChange={(e) => set({ segment_id: e.target.value || null, list_id: null })}
          >
            <option value="">{t('campaigns.audience.choose')}</option>
            {segments.data?.data.map((s) => (
              <option key={s.id} value={s.id}>
                {t('campaigns.audience.option', { name: s.name, n: f.number(s.size) })}
              </option>
            ))}
          </SelectField>
        ) : (
          <SelectField
            label={t('campaigns.audience.list')}
            value={body.list_id ?? ''}
            required
            onChange={(e) => set({ list_id: e.target.value || null, segment_id: null })}
          >
            <option value="">{t('campaigns.audience.choose')}</option>
            {lists.data?.data.map((l) => (
              <option key={l.id} value={l.id}>
                {t('campaigns.audience.option', { name: l.name, n: f.number(l.rows_matched) })}
              </option>
            ))}
          </SelectField>
        )}
      </div>
      {kind === 'list' && <UploadList onUploaded={(listId) => set({ list_id: listId, segment_id: null })} />}
      {count !== undefined && (
        <p>
          <span className="cm-count" data-testid="campaign-audience-count" data-count={count}>
            {f.number(count)}
          </span>{' '}
          {t('campaigns.audience.customers', { count })}
          {live.data && <span className="pz-muted"> · {t('campaigns.audience.live')}</span>}
        </p>
      )}
    </Card>
  );
};
