/** Editable SKU + quantity lines for transfers and counts (the parent owns the react-hook-form field array). */
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Button } from '../../../kit/ui.tsx';

export type LinePath = `lines.${number}.sku` | `lines.${number}.quantity`;

/** Lines as typed (quantities are strings in inputs) and as sent. */
export const linesSchema = (min: number) =>
  z.array(z.object({ sku: z.string().trim().min(1), quantity: z.coerce.number().int().min(min) })).min(1);

export const emptyLine = { sku: '', quantity: '' };

export const LinesEditor = ({
  fields,
  onAdd,
  onRemove,
  register,
  invalid,
  quantityLabel,
}: {
  fields: { id: string }[];
  onAdd: () => void;
  onRemove: (i: number) => void;
  register: (path: LinePath) => UseFormRegisterReturn;
  invalid: boolean;
  quantityLabel: string;
}) => {
  const { t } = useTranslation();
  return (
    <fieldset className="pz-stack">
      <legend>{t('inventory.lines.legend')}</legend>
      {fields.map((field, i) => (
        <div className="pz-row" key={field.id}>
          <div className="pz-field">
            <label htmlFor={`line-sku-${i}`}>{t('inventory.lines.sku', { n: i + 1 })}</label>
            <input id={`line-sku-${i}`} className="pz-input" {...register(`lines.${i}.sku`)} />
          </div>
          <div className="pz-field">
            <label htmlFor={`line-qty-${i}`}>{quantityLabel}</label>
            <input
              id={`line-qty-${i}`}
              className="pz-input"
              type="number"
              min={0}
              inputMode="numeric"
              {...register(`lines.${i}.quantity`)}
            />
          </div>
          {fields.length > 1 && (
            <Button
              variant="ghost"
              onClick={() => onRemove(i)}
              aria-label={t('inventory.lines.remove', { n: i + 1 })}
            >
              ✕
            </Button>
          )}
        </div>
      ))}
      {invalid && (
        <span className="pz-error" role="alert">
          {t('inventory.lines.invalid')}
        </span>
      )}
      <div>
        <Button onClick={onAdd}>{t('inventory.lines.add')}</Button>
      </div>
    </fieldset>
  );
};
