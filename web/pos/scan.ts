/**
 * Keyboard-wedge scanners type the code and press Enter into whatever has the focus. These helpers keep
 * the focus on the screen's scan input: after every action, and when a key is typed while a button (or
 * nothing) has the focus, the key is sent to the scan input instead of being lost.
 */
import { type RefObject, useCallback, useEffect } from 'react';

const isEditable = (el: Element | null): boolean =>
  el instanceof HTMLInputElement ||
  el instanceof HTMLTextAreaElement ||
  el instanceof HTMLSelectElement ||
  (el instanceof HTMLElement && el.isContentEditable);

/** Sends stray keystrokes to `ref`'s input, and answers a function that puts the focus back on it. */
export const useScanFocus = (ref: RefObject<HTMLInputElement | null>): (() => void) => {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const input = ref.current;
      if (!input || input.disabled || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key.length !== 1 || e.key === ' ') return;
      if (document.activeElement === input || isEditable(document.activeElement)) return;
      if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
      input.focus();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [ref]);
  return useCallback(() => {
    // After a dialog closes, Radix gives the focus back to its trigger first: wait for that.
    requestAnimationFrame(() => requestAnimationFrame(() => ref.current?.focus()));
  }, [ref]);
};

/** A QR pickup payload `plaza:pickup:<order number>:<code>`, split; or null for anything else. */
export const parsePickupPayload = (text: string): { orderNumber: number; code: string } | null => {
  const m = /^plaza:pickup:(\d+):([A-Za-z0-9]+)$/.exec(text.trim());
  return m?.[1] && m[2] ? { orderNumber: Number(m[1]), code: m[2] } : null;
};
