import { mountApp } from '../kit/app.tsx';
import { areaMessages } from './frame/areas.ts';
import ar from './i18n/ar.json';
import en from './i18n/en.json';
import ko from './i18n/ko.json';
import { routes } from './routes.tsx';

void mountApp({ namespace: 'console', messages: areaMessages({ en, ar, ko }), basename: '/console', routes });
