/** Toast notices: `useToast()(message, tone)`; the region itself loads with the first toast. */
import { createContext, lazy, type ReactNode, Suspense, useCallback, useContext, useState } from 'react';

export type ToastTone = 'success' | 'danger' | 'info';
export interface ToastItem {
  id: number;
  tone: ToastTone;
  message: ReactNode;
}
const ToastContext = createContext<(message: ReactNode, tone?: ToastTone) => void>(() => undefined);
// The toast region (Radix Toast) is its own chunk, loaded with the first toast: the shop's first
// load stays small.
const Toasts = lazy(() => import('./toasts.tsx'));

/** Provides `useToast()`: short notices that screen readers announce. */
export const Toaster = ({ children }: { children: ReactNode }) => {
  const [items, setItems] = useState<ToastItem[]>([]);
  const push = useCallback((message: ReactNode, tone: ToastTone = 'info') => {
    setItems((s) => [...s.slice(-3), { id: Date.now() + Math.random(), tone, message }]);
  }, []);
  const remove = useCallback((id: number) => setItems((s) => s.filter((x) => x.id !== id)), []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      {items.length > 0 && (
        <Suspense fallback={null}>
          <Toasts items={items} onClose={remove} />
        </Suspense>
      )}
    </ToastContext.Provider>
  );
};

export const useToast = () => useContext(ToastContext);
