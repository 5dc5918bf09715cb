/** The Plaza UI kit: one set of components, tokens and helpers shared by the console, the shop and the POS. */
export * from './api.ts';
export * from './form.tsx';
export * from './format.ts';
export * from './i18n.ts';
export * from './overlay.tsx';
export * from './shell.tsx';
export * from './states.tsx';
export * from './table.tsx';
export * from './toaster.tsx';
export * from './ui.tsx';
