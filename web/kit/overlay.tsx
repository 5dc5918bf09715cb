/** Dialogs and drawers on Radix primitives (focus trap, Escape, aria wiring come from Radix). */
import { Dialog as RDialog } from 'radix-ui';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './ui.tsx';

export interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** `drawer` slides in from the inline end (the cart drawer). */
  kind?: 'dialog' | 'drawer';
}

export const Dialog = ({
  open,
  onOpenChange,
  title,
  description,
  children,
  kind = 'dialog',
}: DialogProps) => {
  const { t } = useTranslation('kit');
  return (
    <RDialog.Root open={open} onOpenChange={onOpenChange}>
      <RDialog.Portal>
        <RDialog.Overlay className="pz-dialog-overlay" />
        <RDialog.Content className={kind === 'drawer' ? 'pz-drawer' : 'pz-dialog'}>
          <div className="pz-row">
            <RDialog.Title asChild>
              <h2>{title}</h2>
            </RDialog.Title>
            <span className="pz-spacer" />
            <RDialog.Close asChild>
              <Button variant="ghost" aria-label={t('close')}>
                ✕
              </Button>
            </RDialog.Close>
          </div>
          {description ? (
            <RDialog.Description className="pz-muted">{description}</RDialog.Description>
          ) : (
            <RDialog.Description className="visually-hidden">{title}</RDialog.Description>
          )}
          {children}
        </RDialog.Content>
      </RDialog.Portal>
    </RDialog.Root>
  );
};

/** Asks before a destructive action. */
export const ConfirmDialog = ({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  onConfirm,
  busy,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: ReactNode;
  onConfirm: () => void;
  busy?: boolean;
}) => {
  const { t } = useTranslation('kit');
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} description={description}>
      <div className="pz-row">
        <span className="pz-spacer" />
        <Button onClick={() => onOpenChange(false)}>{t('cancel')}</Button>
        <Button variant="danger" onClick={onConfirm} busy={busy}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
};
