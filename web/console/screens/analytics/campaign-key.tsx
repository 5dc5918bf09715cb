/**
 * A campaign key of the attribution and campaigns reports, named: a campaign or journey of Plaza's
 * (linked to its page), an ad campaign known by its UTM name (`utm:<name>`) or a store visit
 * (`store:<location id>`), with what kind of key it is underneath.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { keyKind } from './measure-data.ts';

export const CampaignKey = ({ id, name, testId }: { id: string; name: string | null; testId: string }) => {
  const { t } = useTranslation();
  const kind = keyKind(id);
  const label = name ?? id;
  const to = kind === 'campaign' ? `/campaigns/${id}` : kind === 'journey' ? `/journeys/${id}` : undefined;
  return (
    <>
      {to ? (
        <Link to={to} className="an-nowrap" data-testid={testId} dir="auto">
          {label}
        </Link>
      ) : (
        <span className="an-nowrap" data-testid={testId} dir="auto">
          {label}
        </span>
      )}
      <span className="an-sub an-nowrap">{kind === 'other' ? id : t(`analytics.keyKinds.${kind}`)}</span>
    </>
  );
};
