/**
 * Copy-paste snippets that point Segment's own libraries at this Plaza (no Segment account): the
 * browser's analytics.js loads its settings from `cdnURL` and sends to `apiHost`; analytics-node sends
 * to `host`. Filled with the write key and this server's origin. Code is code: not translated.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../kit/ui.tsx';

/** analytics.js (`@segment/analytics-next`) pointed at Plaza. */
export const browserSnippet = (writeKey: string, origin: URL): string =>
  [
    "import { AnalyticsBrowser } from '@segment/analytics-next';",
    '',
    'export const analytics = AnalyticsBrowser.load(',
    `  { writeKey: '${writeKey}', cdnURL: '${origin.origin}' },`,
    `  { integrations: { 'Segment.io': { apiHost: '${origin.host}/v1', protocol: '${origin.protocol.replace(':', '')}' } } },`,
    ');',
    '',
    "analytics.track('Product Viewed', { product_id: 'prod_123' });",
  ].join('\n');

/** analytics-node (`@segment/analytics-node`) pointed at Plaza. */
export const nodeSnippet = (writeKey: string, origin: URL): string =>
  [
    "import { Analytics } from '@segment/analytics-node';",
    '',
    `const analytics = new Analytics({ writeKey: '${writeKey}', host: '${origin.origin}' });`,
    '',
    "analytics.identify({ userId: 'user_42', traits: { email: 'person@example.com' } });",
    "analytics.track({ userId: 'user_42', event: 'Order Completed', properties: { total: 42 } });",
  ].join('\n');

/** A button that copies a text and says so. */
export const CopyButton = ({ text, label, testId }: { text: string; label: string; testId?: string }) => {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <Button
      aria-label={label}
      data-testid={testId}
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied ? t('events.copied') : t('events.copy')}
    </Button>
  );
};

/** One snippet: its title, the code, and a copy button. */
const Snippet = ({ title, code, testId }: { title: string; code: string; testId: string }) => {
  const { t } = useTranslation();
  return (
    <section className="ev-snippet" aria-label={title}>
      <div className="pz-row">
        <h3>{title}</h3>
        <span className="pz-spacer" />
        <CopyButton text={code} label={t('events.snippets.copy', { what: title })} />
      </div>
      <pre dir="ltr" data-testid={testId}>
        <code>{code}</code>
      </pre>
    </section>
  );
};

export const Snippets = ({ writeKey }: { writeKey: string }) => {
  const { t } = useTranslation();
  const origin = new URL(window.location.origin);
  return (
    <div className="pz-stack">
      <p className="pz-muted">{t('events.snippets.intro')}</p>
      <Snippet
        title={t('events.snippets.browser')}
        code={browserSnippet(writeKey, origin)}
        testId="snippet-browser"
      />
      <Snippet title={t('events.snippets.node')} code={nodeSnippet(writeKey, origin)} testId="snippet-node" />
    </div>
  );
};
