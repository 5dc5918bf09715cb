/** Small building blocks of every screen. Styling comes from tokens.css and kit.css only. */
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api.ts';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';
type Tone = 'neutral' | 'success' | 'danger' | 'warning' | 'info';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: 'md' | 'lg';
  busy?: boolean;
}

/** A button; `busy` disables it and says so to assistive technology. */
export const Button = ({
  variant = 'secondary',
  size = 'md',
  busy,
  disabled,
  children,
  ...rest
}: ButtonProps) => (
  <button
    type="button"
    {...rest}
    className={`pz-btn ${rest.className ?? ''}`.trim()}
    data-variant={variant}
    data-size={size}
    disabled={disabled || busy}
    aria-busy={busy || undefined}
  >
    {children}
  </button>
);

export const Badge = ({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) => (
  <span className="pz-badge" data-tone={tone}>
    {children}
  </span>
);

export const Card = ({
  title,
  children,
  actions,
}: {
  title?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
}) => (
  <section className="pz-card">
    {(title || actions) && (
      <div className="pz-row">
        {title && <h2>{title}</h2>}
        <span className="pz-spacer" />
        {actions}
      </div>
    )}
    {children}
  </section>
);

/** Placeholder lines while data loads (no blank page, no layout jump). */
export const Skeleton = ({ lines = 3, label }: { lines?: number; label?: string }) => {
  const { t } = useTranslation('kit');
  return (
    <div className="pz-stack" role="status" aria-live="polite" aria-label={label ?? t('loading')}>
      {Array.from({ length: lines }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <div key={i} className="pz-skeleton" style={{ inlineSize: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
};

export const EmptyState = ({ title, children }: { title: ReactNode; children?: ReactNode }) => (
  <div className="pz-empty">
    <p>
      <strong>{title}</strong>
    </p>
    {children}
  </div>
);

export const Alert = ({ tone = 'danger', children }: { tone?: Tone; children: ReactNode }) => (
  <div className="pz-alert" data-tone={tone} role={tone === 'danger' ? 'alert' : 'status'}>
    {children}
  </div>
);

/** A readable message for any error, with Plaza's stable code when there is one. */
export const ProblemAlert = ({ error, onRetry }: { error: unknown; onRetry?: () => void }) => {
  const { t } = useTranslation('kit');
  const api = error instanceof ApiError ? error : undefined;
  const known = api ? t(`errors.${api.code}`, { defaultValue: '' }) : '';
  const message = known || api?.problem.detail || api?.problem.title || t('errors.unexpected');
  return (
    <Alert>
      <div className="pz-row">
        <span>
          {message}
          {api && api.code !== 'NETWORK_ERROR' && (
            <>
              {' '}
              <code>{api.code}</code>
            </>
          )}
        </span>
        <span className="pz-spacer" />
        {onRetry && <Button onClick={onRetry}>{t('retry')}</Button>}
      </div>
      {api?.problem.errors && api.problem.errors.length > 0 && (
        <ul>
          {api.problem.errors.map((e) => (
            <li key={`${e.path} ${e.message}`}>
              <code>{e.path.replace(/^(body|querystring|params)\./, '')}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
};
