import { mountApp } from '../kit/app.tsx';
import ar from './i18n/ar.json';
import en from './i18n/en.json';
import ko from './i18n/ko.json';
import { routes } from './routes.tsx';

void mountApp({ namespace: 'shop', messages: { en, ar, ko }, basename: '/shop', routes });
