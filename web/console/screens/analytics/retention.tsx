/**
 * The retention heat map: a row per channel mix and per first channel, a column per month after the
 * first purchase (0–12), each cell the share of the group's customers (old enough) who bought that
 * month. A real table (row and column headers, a caption) with the number written in every cell; the
 * shade (kit tokens, analytics.css `data-level`) only repeats it. A month no customer of the group is
 * old enough for is a dash.
 */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import { Card } from '../../../kit/ui.tsx';
import { type CustomerGroup, type CustomerValue, MIXES, shadeLevel } from './measure-data.ts';
import { percent } from './rows-table.tsx';

const MONTHS = Array.from({ length: 13 }, (_, k) => k);

const Row = ({ name, group }: { name: string; group: CustomerGroup }) => {
  const fmt = useFormat();
  return (
    <tr data-testid="retention-row">
      <th scope="row" className="an-nowrap" dir="auto">
        {name}
      </th>
      <td className="pz-num">{fmt.number(group.customers)}</td>
      {MONTHS.map((k) => {
        const share = group.retention[k] ?? null;
        return (
          <td
            key={k}
            className="pz-num an-heat"
            data-level={share === null ? undefined : shadeLevel(share)}
            data-testid="retention-cell"
          >
            {percent(share, fmt.locale)}
          </td>
        );
      })}
    </tr>
  );
};

export const RetentionMap = ({
  data,
  channelName,
}: {
  data: CustomerValue;
  channelName: (id: string) => string;
}) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const mixes = MIXES.flatMap((m) => data.by_mix.filter((g) => g.key === m));
  const caption = t('analytics.retention.title');
  const section = (title: string, groups: CustomerGroup[], name: (g: CustomerGroup) => string) =>
    groups.length > 0 && (
      <tbody>
        <tr>
          <th scope="rowgroup" colSpan={MONTHS.length + 2} className="an-heat-section">
            {title}
          </th>
        </tr>
        {groups.map((g) => (
          <Row key={g.key} name={name(g)} group={g} />
        ))}
      </tbody>
    );
  return (
    <Card title={caption}>
      <p className="pz-muted">{t('analytics.retention.intro')}</p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1) */}
      <section className="pz-table-wrap" tabIndex={0} aria-label={caption} data-testid="retention-map">
        <table className="pz-table an-heat-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('analytics.retention.group')}</th>
              <th scope="col">{t('analytics.value.customers')}</th>
              {MONTHS.map((k) => (
                <th key={k} scope="col" className="pz-num">
                  <abbr title={t('analytics.retention.monthLong', { n: fmt.number(k) })}>
                    {t('analytics.retention.month', { n: fmt.number(k) })}
                  </abbr>
                </th>
              ))}
            </tr>
          </thead>
          {section(t('analytics.retention.byMix'), mixes, (g) => t(`analytics.value.mix.${g.key}`))}
          {section(t('analytics.retention.byFirstChannel'), data.by_first_channel, (g) => channelName(g.key))}
        </table>
      </section>
    </Card>
  );
};
