/** The frame of the console and the POS: a navigation, the language and theme switches, the screen. */
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { LANGUAGES } from './i18n.ts';

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
}

export const LanguageSwitch = () => {
  const { t, i18n } = useTranslation('kit');
  return (
    <label className="pz-row">
      <span className="visually-hidden">{t('language')}</span>
      <select
        className="pz-select"
        value={i18n.language}
        onChange={(e) => void i18n.changeLanguage(e.target.value)}
        aria-label={t('language')}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`languages.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
};

type Theme = 'system' | 'light' | 'dark';
export const ThemeSwitch = () => {
  const { t } = useTranslation('kit');
  const [theme, setTheme] = useState<Theme>(
    () => (localStorage.getItem('plaza.theme') as Theme | null) ?? 'system',
  );
  useEffect(() => {
    if (theme === 'system') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', theme);
    localStorage.setItem('plaza.theme', theme);
  }, [theme]);
  return (
    <select
      className="pz-select"
      value={theme}
      onChange={(e) => setTheme(e.target.value as Theme)}
      aria-label={t('theme.label')}
    >
      <option value="system">{t('theme.system')}</option>
      <option value="light">{t('theme.light')}</option>
      <option value="dark">{t('theme.dark')}</option>
    </select>
  );
};

export const AppShell = ({
  brand,
  nav,
  user,
  children,
}: {
  brand: string;
  nav: NavItem[];
  user?: ReactNode;
  children: ReactNode;
}) => {
  const { t } = useTranslation('kit');
  return (
    <div>
      <a href="#main" className="visually-hidden">
        {t('skipToContent')}
      </a>
      <header className="pz-topbar">
        <span className="pz-brand">{brand}</span>
        <span className="pz-spacer" />
        {user}
        <LanguageSwitch />
        <ThemeSwitch />
      </header>
      <div className="pz-shell">
        <nav className="pz-shell-nav" aria-label={t('mainNavigation')}>
          {nav.map((n) => (
            <NavLink key={n.to} to={n.to} end={n.end ?? false}>
              {n.label}
            </NavLink>
          ))}
        </nav>
        <main id="main" className="pz-shell-main">
          {children}
        </main>
      </div>
    </div>
  );
};
