/** Every console area found under screens/*, with its messages merged into the `console` namespace. */
import type { AppMessages, Language } from '../../kit/i18n.ts';
import type { ConsoleArea } from './area.ts';

const modules = import.meta.glob<{ area: ConsoleArea }>('../screens/*/area.tsx', { eager: true });
const messageFiles = import.meta.glob<{ default: Record<string, unknown> }>('../screens/*/i18n/*.json', {
  eager: true,
});

export const AREAS: ConsoleArea[] = Object.values(modules)
  .map((m) => m.area)
  .sort((a, b) => a.order - b.order);

/** `{ en: { frame: …, catalog: {…}, orders: {…} }, ar: … }` */
export const areaMessages = (frame: AppMessages): AppMessages => {
  const out: AppMessages = { en: { ...frame.en }, ar: { ...frame.ar }, ko: { ...frame.ko } };
  for (const [path, mod] of Object.entries(messageFiles)) {
    const m = /screens\/([^/]+)\/i18n\/(en|ar|ko)\.json$/.exec(path);
    if (!m?.[1] || !m[2]) continue;
    out[m[2] as Language][m[1]] = mod.default;
  }
  return out;
};
