/** Handing over only some items: units per line, and what happens to the rest (kept ready or released). */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import type { Pickup } from './queue-table.tsx';

export type Remainder = 'keep' | 'cancel';
export interface PartialState {
  on: boolean;
  qty: Record<string, string>;
  remainder: Remainder;
}
export const NO_PARTIAL: PartialState = { on: false, qty: {}, remainder: 'keep' };

/** The lines to send, or undefined for the whole order. */
export const partialLines = (state: PartialState, lines: Pickup['lines'] | undefined) => {
  if (!state.on || !lines) return undefined;
  return lines
    .map((l) => ({ order_line_id: l.order_line_id, quantity: Number(state.qty[l.order_line_id] ?? 0) }))
    .filter((l) => Number.isInteger(l.quantity) && l.quantity > 0);
};

export const PartialHandover = ({
  lines,
  state,
  onChange,
}: {
  lines: Pickup['lines'];
  state: PartialState;
  onChange: (s: PartialState) => void;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const open = lines.filter((l) => l.remaining > 0);
  if (open.reduce((s, l) => s + l.remaining, 0) < 2) return null;
  return (
    <div className="pz-stack">
      <label className="pz-row">
        <input
          type="checkbox"
          checked={state.on}
          onChange={(e) => onChange({ ...state, on: e.target.checked })}
        />
        {t('pickups.partial.toggle')}
      </label>
      {state.on && (
        <fieldset className="pz-row">
          <legend className="visually-hidden">{t('pickups.partial.toggle')}</legend>
          {open.map((l) => (
            <div className="pz-field" key={l.order_line_id}>
              <label htmlFor={`part-${l.order_line_id}`}>
                {t('pickups.partial.units', { title: l.title, max: f.number(l.remaining) })}
              </label>
              <input
                id={`part-${l.order_line_id}`}
                className="pz-input"
                type="number"
                min={0}
                max={l.remaining}
                value={state.qty[l.order_line_id] ?? ''}
                onChange={(e) =>
                  onChange({ ...state, qty: { ...state.qty, [l.order_line_id]: e.target.value } })
                }
              />
            </div>
          ))}
          <div className="pz-field">
            <label htmlFor="part-remainder">{t('pickups.partial.remainder')}</label>
            <select
              id="part-remainder"
              className="pz-select"
              value={state.remainder}
              onChange={(e) =>
                onChange({ ...state, remainder: e.target.value === 'cancel' ? 'cancel' : 'keep' })
              }
            >
              <option value="keep">{t('pickups.partial.keep')}</option>
              <option value="cancel">{t('pickups.partial.cancel')}</option>
            </select>
          </div>
        </fieldset>
      )}
    </div>
  );
};
