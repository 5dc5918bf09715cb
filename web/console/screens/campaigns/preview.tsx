/**
 * A preview of one variant on one medium for a chosen customer (found by e-mail, phone or card), as
 * POST /admin/templates/preview renders it. E-mail HTML shows in a sandboxed frame, never in the page.
 */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { Alert, Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { type CampaignBody, FIELDS, type Rendered } from './data.ts';

/** An e-mail body: sandbox="" (no scripts, no forms, no navigation, a unique origin). */
export const HtmlFrame = ({ html, title, testId }: { html: string; title: string; testId?: string }) => (
  <iframe className="cm-frame" title={title} sandbox="" srcDoc={html} data-testid={testId} />
);

export const RenderedView = ({ r }: { r: Rendered }) => {
  const { t } = useTranslation();
  return (
    <div className="pz-stack" data-testid="campaign-preview">
      {r.subject !== undefined && (
        <p>
          <strong>{t('campaigns.content.fields.subject')}:</strong>{' '}
          <span dir="auto" data-testid="campaign-preview-subject">
            {r.subject}
          </span>
        </p>
      )}
      {r.title !== undefined && (
        <p>
          <strong>{t('campaigns.content.fields.title')}:</strong> <span dir="auto">{r.title}</span>
        </p>
      )}
      {r.html && (
        <HtmlFrame html={r.html} title={t('campaigns.preview.html')} testId="campaign-preview-html" />
      )}
      <details open={!r.html}>
        <summary>{t('campaigns.preview.text')}</summary>
        <pre className="cm-text" dir="auto" data-testid="campaign-preview-text">
          {r.text}
        </pre>
      </details>
      {r.url && (
        <p className="pz-muted" dir="ltr">
          {r.url}
        </p>
      )}
    </div>
  );
};

export const Preview = ({ body }: { body: CampaignBody }) => {
  const { t } = useTranslation();
  const media = body.media.filter((m) => FIELDS[m].length > 0);
  const [variant, setVariant] = useState(body.variants[0]?.key ?? 'a');
  const [medium, setMedium] = useState(media[0] ?? 'email');
  const [who, setWho] = useState('');
  const [customer, setCustomer] = useState<{ id: string; label: string } | null>(null);
  const find = useMutation({
    mutationFn: () =>
      unwrap(staffApi.GET('/admin/customers', { params: { query: { identity: who.trim(), limit: 1 } } })),
    onSuccess: (r) => {
      const c = r.data[0];
      setCustomer(c ? { id: c.id, label: c.email ?? c.id } : null);
    },
  });
  const chosen = body.variants.find((v) => v.key === variant) ?? body.variants[0];
  const current = media.includes(medium) ? medium : media[0];
  const preview = useMutation({
    mutationFn: (customerId: string | undefined) =>
      unwrap(
        staffApi.POST('/admin/templates/preview', {
          body: {
            medium: current ?? 'email',
            content: chosen?.content[current ?? 'email'] ?? {},
            ...(customerId ? { customer_id: customerId } : {}),
            ...(body.product_ids?.length ? { product_ids: body.product_ids } : {}),
          },
        }),
      ),
  });
  if (media.length === 0) return null;
  return (
    <Card title={t('campaigns.preview.title')}>
      <div className="cm-fields">
        {body.variants.length > 1 && (
          <SelectField
            label={t('campaigns.preview.variant')}
            value={variant}
            onChange={(e) => setVariant(e.target.value)}
            options={body.variants.map((v) => ({ value: v.key, label: v.key.toUpperCase() }))}
          />
        )}
        <SelectField
          label={t('campaigns.preview.medium')}
          value={current}
          onChange={(e) => setMedium(media.find((m) => m === e.target.value) ?? medium)}
          options={media.map((m) => ({ value: m, label: t(`campaigns.media.${m}`) }))}
        />
        <Field
          label={t('campaigns.preview.customer')}
          value={who}
          dir="ltr"
          hint={customer ? t('campaigns.preview.as', { who: customer.label }) : t('campaigns.preview.sample')}
          data-testid="campaign-preview-customer"
          onChange={(e) => {
            setWho(e.target.value);
            setCustomer(null);
          }}
          onBlur={() => who.trim() && find.mutate()}
        />
      </div>
      {find.isSuccess && !customer && <Alert tone="info">{t('campaigns.preview.notFound')}</Alert>}
      <div className="pz-row">
        <Button
          onClick={() =>
            who.trim() && !customer
              ? void find.mutateAsync().then((r) => preview.mutate(r.data[0]?.id))
              : preview.mutate(customer?.id)
          }
          // not busy while the customer is looked up on leaving the field: that lookup starts on the
          // mousedown of this very click, and a button disabled before the mouseup never gets it
          busy={preview.isPending}
          data-testid="campaign-preview-button"
        >
          {t('campaigns.preview.show')}
        </Button>
      </div>
      {preview.isError && <ProblemAlert error={preview.error} />}
      {preview.data && <RenderedView r={preview.data.message} />}
    </Card>
  );
};
