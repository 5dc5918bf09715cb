/**
 * Campaigns and media (GET /admin/analytics/campaigns): per campaign and medium the funnel, the sales
 * attributed in the period by the chosen model, the costs entered, cost per order, ROAS, ROI and the
 * lift against the holdout; the CSV export of the same query; below, a form to enter a cost and the
 * costs entered (deletable). Filters live in the URL (`?from=…&to=…&model=linear`).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { ProblemAlert, Skeleton } from '../../../kit/ui.tsx';
import { CampaignTable } from './campaign-table.tsx';
import { CostForm } from './cost-form.tsx';
import { CostList } from './cost-list.tsx';
import { DATE, useAnalyticsSettings, useNames } from './data.ts';
import {
  type CampaignsQuery,
  exportUrl,
  jsonOnly,
  keyKind,
  measureKeys,
  RULE_MODELS,
  type RuleModel,
  useUrlState,
} from './measure-data.ts';
import { AnalyticsPage } from './page.tsx';
import { CsvLink, PeriodFields, usePeriodError } from './period.tsx';

const DEFAULT_MODEL: RuleModel = 'last_touch';
const SPEC = {
  from: { valid: DATE },
  to: { valid: DATE },
  model: { valid: RULE_MODELS, fallback: DEFAULT_MODEL },
};

const isRuleModel = (v: string): v is RuleModel => (RULE_MODELS as readonly string[]).includes(v);

const Campaigns = () => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [f, set] = useUrlState(SPEC);
  const settings = useAnalyticsSettings();
  const names = useNames();
  const periodError = usePeriodError(f);
  const model = isRuleModel(f.model) ? f.model : DEFAULT_MODEL;
  const q: CampaignsQuery = {
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(model !== DEFAULT_MODEL ? { model } : {}),
  };
  const report = useQuery({
    queryKey: measureKeys.campaigns(q),
    queryFn: async () =>
      jsonOnly(await unwrap(staffApi.GET('/admin/analytics/campaigns', { params: { query: q } }))),
    enabled: !periodError,
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const campaigns = useQuery({
    queryKey: measureKeys.campaignList,
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/campaigns', { params: { query: { limit: 200 } } }))).data,
    staleTime: 60_000,
  });
  const byId = useMemo(() => new Map((campaigns.data ?? []).map((c) => [c.id, c.name])), [campaigns.data]);
  const campaignName = useCallback(
    (id: string) =>
      byId.get(id) ?? (keyKind(id) === 'ad' ? t('analytics.costs.utmName', { name: id.slice(4) }) : id),
    [byId, t],
  );
  const timeZone = settings.data?.time_zone ?? 'UTC';
  const data = report.data;
  return (
    <AnalyticsPage>
      <div className="an-filters" data-testid="campaigns-filters">
        <PeriodFields period={f} set={set} shown={data} timeZone={timeZone} error={periodError} />
        <SelectField
          label={t('analytics.campaigns.model')}
          value={model}
          onChange={(e) => set({ model: e.target.value })}
          options={RULE_MODELS.map((m) => ({ value: m, label: t(`analytics.models.${m}.name`) }))}
          data-testid="campaigns-model"
        />
        <span className="pz-spacer" />
        <CsvLink
          href={periodError ? undefined : exportUrl('/admin/analytics/campaigns', q)}
          testId="campaigns-csv"
        />
      </div>
      {periodError ? null : report.isError ? (
        <ProblemAlert error={report.error} onRetry={() => void report.refetch()} />
      ) : !data ? (
        <Skeleton lines={6} />
      ) : (
        <div className="pz-stack" aria-busy={report.isFetching || undefined} data-testid="campaigns-report">
          <p className="pz-muted">
            {t('analytics.campaigns.scope', {
              from: fmt.day(`${data.from}T12:00:00Z`),
              to: fmt.day(`${data.to}T12:00:00Z`),
              model: t(`analytics.models.${model}.name`),
            })}
          </p>
          <CampaignTable data={data} />
        </div>
      )}
      <CostForm
        campaigns={campaigns.data ?? []}
        seen={data?.rows ?? []}
        timeZone={timeZone}
        currency={names.channels[0]?.currency ?? ''}
      />
      <CostList campaignName={campaignName} />
    </AnalyticsPage>
  );
};

export default Campaigns;
