/**
 * One i18n layer for every app (i18next): English, Arabic (right-to-left) and Korean. The kit's own
 * strings are in the `kit` namespace; each app adds its namespace. The chosen language is kept in
 * localStorage and can be forced with `?lang=ar` (handy for links and tests).
 */
import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import ar from './i18n/ar.json';
import en from './i18n/en.json';
import ko from './i18n/ko.json';

export const LANGUAGES = ['en', 'ar', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'plaza.lang';

const isLanguage = (v: string | null | undefined): v is Language =>
  !!v && (LANGUAGES as readonly string[]).includes(v);

/** The language to start with: `?lang=`, then the saved choice, then the browser's, then English. */
export const initialLanguage = (): Language => {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (isLanguage(fromUrl)) {
    localStorage.setItem(STORAGE_KEY, fromUrl);
    return fromUrl;
  }
  const saved = localStorage.getItem(STORAGE_KEY);
  if (isLanguage(saved)) return saved;
  for (const l of navigator.languages ?? []) {
    const base = l.slice(0, 2).toLowerCase();
    if (isLanguage(base)) return base;
  }
  return 'en';
};

const applyDocument = (i18n: I18n, lng: string): void => {
  document.documentElement.lang = lng;
  document.documentElement.dir = i18n.dir(lng);
};

/** Messages of one app, per language, in its own namespace. */
export type AppMessages = Record<Language, Record<string, unknown>>;

/** Starts i18next with the kit's and the app's messages; sets `lang` and `dir` on <html>. */
export const initI18n = async (namespace: string, messages: AppMessages): Promise<I18n> => {
  const resources: Resource = {};
  const kit: AppMessages = { en, ar, ko };
  for (const l of LANGUAGES) resources[l] = { kit: kit[l], [namespace]: messages[l] };
  const lng = initialLanguage();
  const instance = i18next.createInstance();
  instance.use(initReactI18next);
  await instance.init({
    resources,
    lng,
    fallbackLng: 'en',
    ns: ['kit', namespace],
    defaultNS: namespace,
    fallbackNS: 'kit',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyDocument(instance, lng);
  instance.on('languageChanged', (l) => {
    localStorage.setItem(STORAGE_KEY, l);
    applyDocument(instance, l);
  });
  return instance;
};
