/**
 * The handover input: always focused for a keyboard-wedge scanner (it types, then Enter). A scanned QR
 * payload names its order; a typed code goes to the order chosen with "Hand over" on its row.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type RefObject, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert, Button } from '../../../kit/ui.tsx';
import { readScan } from './code.ts';
import { NO_PARTIAL, PartialHandover, type PartialState, partialLines } from './partial.tsx';
import { fetchQueue, type Pickup, queueKey } from './queue-table.tsx';

export interface Selected {
  order_id: string;
  order_number: number;
  lines?: Pickup['lines'];
}

/** Finds a ready pickup by its order number (a QR payload carries only the number). */
const findReady = async (locationId: string, orderNumber: number): Promise<Pickup | undefined> => {
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const r = await fetchQueue(locationId, 'ready', cursor, 200);
    const hit = r.data.find((p) => p.order_number === orderNumber);
    if (hit || !r.next_cursor) return hit;
    cursor = r.next_cursor;
  }
  return undefined;
};

class LocalError extends Error {}

const numberOf = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** What went wrong at the counter, in words. */
const describe = (error: Error, t: TFunction, num: (n: number) => string): string => {
  if (error instanceof LocalError) return error.message;
  if (!(error instanceof ApiError)) return t('pickups.handover.failed');
  if (error.code === 'PICKUP_CODE_INVALID') {
    const left = numberOf(error.problem.attempts_left) ?? 0;
    return t('pickups.handover.wrongCode', { count: left, n: num(left) });
  }
  if (error.code === 'RATE_LIMITED') {
    const seconds = numberOf(error.problem.retry_after_seconds) ?? 900;
    return t('pickups.handover.locked', { minutes: num(Math.max(1, Math.ceil(seconds / 60))) });
  }
  return t(`pickups.problems.${error.code}`, { defaultValue: error.problem.detail ?? error.problem.title });
};

export const HandoverBar = ({
  locationId,
  selected,
  onSelect,
  inputRef,
}: {
  locationId: string;
  selected: Selected | undefined;
  onSelect: (s: Selected | undefined) => void;
  inputRef: RefObject<HTMLInputElement | null>;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const [value, setValue] = useState('');
  const [done, setDone] = useState<string>();
  const [partial, setPartial] = useState<PartialState>(NO_PARTIAL);
  const selectedId = selected?.order_id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new order starts with the whole order
  useEffect(() => setPartial(NO_PARTIAL), [selectedId]);
  const handover = useMutation({
    mutationFn: async (raw: string) => {
      const scan = readScan(raw);
      if (!scan) throw new LocalError(t('pickups.handover.empty'));
      let target = selected;
      if (scan.kind === 'qr') {
        if (selected && selected.order_number !== scan.orderNumber)
          throw new LocalError(t('pickups.handover.otherOrder', { number: scan.orderNumber }));
        const found = await findReady(locationId, scan.orderNumber);
        if (!found) throw new LocalError(t('pickups.handover.notReady', { number: scan.orderNumber }));
        target = { order_id: found.order_id, order_number: found.order_number, lines: found.lines };
      }
      if (!target) throw new LocalError(t('pickups.handover.chooseFirst'));
      const lines =
        target.order_id === selected?.order_id ? partialLines(partial, selected.lines) : undefined;
      if (lines && lines.length === 0) throw new LocalError(t('pickups.partial.none'));
      return unwrap(
        staffApi.POST('/admin/orders/{id}/pickup/handover', {
          params: { path: { id: target.order_id }, header: { 'Idempotency-Key': crypto.randomUUID() } },
          body: { code: scan.code, ...(lines ? { lines, remainder: partial.remainder } : {}) },
        }),
      );
    },
    onSuccess: (r) => {
      const message = t('pickups.handover.done', {
        number: r.pickup.order_number,
        amount: f.money(r.captured_amount, r.pickup.currency),
      });
      setDone(message);
      toast(message, 'success');
      setValue('');
      onSelect(undefined);
      void qc.invalidateQueries({ queryKey: queueKey(locationId) });
      inputRef.current?.focus();
    },
    onError: () => {
      setDone(undefined);
      setValue('');
      inputRef.current?.focus();
    },
  });
  const error = handover.error;
  const message = error ? describe(error, t, f.number) : undefined;
  const label = selected
    ? t('pickups.handover.labelFor', { number: selected.order_number })
    : t('pickups.handover.label');
  return (
    <form
      className="pz-pickup-scan pz-stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (!handover.isPending) handover.mutate(value);
      }}
    >
      <div className="pz-row">
        <div className="pz-field">
          <label htmlFor="pickup-code">{label}</label>
          <input
            id="pickup-code"
            ref={inputRef}
            data-testid="pickup-code-input"
            className="pz-input"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            // The counter's scanner types into whatever has focus: this input has it from the start.
            // biome-ignore lint/a11y/noAutofocus: a keyboard-wedge scanner needs the input focused
            autoFocus
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-describedby="pickup-code-hint"
          />
          <span id="pickup-code-hint" className="pz-hint">
            {t('pickups.handover.hint')}
          </span>
        </div>
        <Button type="submit" variant="primary" busy={handover.isPending}>
          {t('pickups.handover.submit')}
        </Button>
        {selected && (
          <Button variant="ghost" onClick={() => onSelect(undefined)}>
            {t('pickups.handover.clear')}
          </Button>
        )}
      </div>
      {selected?.lines && <PartialHandover lines={selected.lines} state={partial} onChange={setPartial} />}
      {message && (
        <Alert>
          {message} {error instanceof ApiError && <code>{error.code}</code>}
        </Alert>
      )}
      {done && !message && <Alert tone="success">{done}</Alert>}
    </form>
  );
};
