/**
 * The one-click unsubscribe page of a marketing message's link (/shop/unsubscribe/:token). It asks for
 * one press (a link preview or a mail scanner opening the page must not unsubscribe anyone), then
 * POST /store/unsubscribe/{token}; no login needed.
 */
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../kit/api.ts';
import { Alert, Button, Card } from '../../kit/ui.tsx';
import { ShopProblem } from '../problem.tsx';
import { useShop } from '../session.tsx';

const Unsubscribe = () => {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const { api, channelKey } = useShop();
  const run = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/store/unsubscribe/{token}', {
          params: { path: { token }, query: channelKey ? { channel_key: channelKey } : {} },
        }),
      ),
  });
  return (
    <div className="shop-narrow">
      <h1>{t('unsubscribe.title')}</h1>
      <Card>
        {run.isSuccess ? (
          <Alert tone="success">
            {t('unsubscribe.done', {
              purpose: t(`preferences.purposes.${run.data.purpose}`, { defaultValue: run.data.purpose }),
              channel: t(`preferences.channels.${run.data.channel}`, { defaultValue: run.data.channel }),
            })}
          </Alert>
        ) : (
          <div className="pz-stack">
            <p>{t('unsubscribe.text')}</p>
            {run.isError && <ShopProblem error={run.error} />}
            <div>
              <Button variant="primary" onClick={() => run.mutate()} busy={run.isPending}>
                {t('unsubscribe.confirm')}
              </Button>
            </div>
          </div>
        )}
        <p>
          <Link to="/account/preferences">{t('unsubscribe.manage')}</Link>
        </p>
      </Card>
    </div>
  );
};

export default Unsubscribe;
