/**
 * One message of the mailbox: its headers, its HTML in a sandboxed frame (srcdoc, sandbox="": no
 * scripts, no navigation, its own origin; never put into this page), and its text part.
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { Card } from '../../../kit/ui.tsx';
import { HtmlFrame } from '../campaigns/preview.tsx';
import { RequireAdmin } from '../customers/ui.tsx';
import '../campaigns/campaigns.css';

const Message = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['mailbox', 'message', id],
    queryFn: () => unwrap(staffApi.GET('/admin/mailbox/{id}', { params: { path: { id } } })),
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('mailbox.breadcrumb')}>
        <Link to="/mailbox">{t('mailbox.title')}</Link>
      </nav>
      <QueryState query={query} lines={8}>
        {(m) => (
          <div className="pz-stack">
            <h1 dir="auto" data-testid="mailbox-message-subject">
              {m.subject}
            </h1>
            <dl className="cm-headers">
              <dt>{t('mailbox.from')}</dt>
              <dd dir="ltr">{m.from}</dd>
              <dt>{t('mailbox.to')}</dt>
              <dd dir="ltr">{m.to}</dd>
              <dt>{t('mailbox.at')}</dt>
              <dd>{f.date(m.created_at)}</dd>
              {m.customer_id && (
                <>
                  <dt>{t('mailbox.customer')}</dt>
                  <dd>
                    <Link to={`/customers/${m.customer_id}?tab=messages`} className="pz-mono" dir="ltr">
                      {m.customer_id}
                    </Link>
                  </dd>
                </>
              )}
            </dl>
            {m.html && (
              <Card title={t('mailbox.html')}>
                <HtmlFrame html={m.html} title={t('mailbox.html')} testId="mailbox-html" />
              </Card>
            )}
            <Card title={t('mailbox.text')}>
              <pre className="cm-text" dir="auto" data-testid="mailbox-text">
                {m.text}
              </pre>
            </Card>
            <Card title={t('mailbox.headers')}>
              <dl className="cm-headers" dir="ltr" data-testid="mailbox-headers">
                {Object.entries(m.headers).map(([k, v]) => (
                  <div key={k} style={{ display: 'contents' }}>
                    <dt>{k}</dt>
                    <dd className="pz-mono">{String(v)}</dd>
                  </div>
                ))}
              </dl>
            </Card>
          </div>
        )}
      </QueryState>
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <Message />
  </RequireAdmin>
);

export default Guarded;
