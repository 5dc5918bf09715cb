/** Mounts one of the apps (console, shop, POS): i18n, TanStack Query, toasts, the router. */
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createBrowserRouter, type RouteObject, RouterProvider } from 'react-router';
import { createQueryClient } from './api.ts';
import { type AppMessages, initI18n } from './i18n.ts';
import { Toaster } from './toaster.tsx';
import './tokens.css';
import './kit.css';

export interface MountOptions {
  namespace: string;
  messages: AppMessages;
  basename: string;
  routes: RouteObject[];
  density?: 'comfortable' | 'touch';
}

export const mountApp = async (opts: MountOptions): Promise<void> => {
  const i18n = await initI18n(opts.namespace, opts.messages);
  if (opts.density === 'touch') document.documentElement.dataset.density = 'touch';
  const queryClient = createQueryClient();
  const router = createBrowserRouter(opts.routes, { basename: opts.basename });
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing');
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <QueryClientProvider client={queryClient}>
          <Toaster>
            <RouterProvider router={router} />
          </Toaster>
        </QueryClientProvider>
      </I18nextProvider>
    </StrictMode>,
  );
};
