import { mountApp } from '../kit/app.tsx';
import { initialLanguage } from '../kit/i18n.ts';
import { startMessages } from './messages.ts';
import { routes } from './routes.tsx';

void startMessages(initialLanguage()).then((messages) =>
  mountApp({ namespace: 'shop', messages, basename: '/shop', routes }),
);
