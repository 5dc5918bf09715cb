/** The catalog's server state: query keys, the lists the screens pick from (channels, categories, collections). */
import type { components } from '@plaza/client';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../../kit/api.ts';
import { applyProblemToForm } from '../../../kit/form.tsx';
import { staffApi, useStaffSession } from '../../../kit/session.tsx';
import { Alert } from '../../../kit/ui.tsx';

export type Product = components['schemas']['Product'];
export type Variant = components['schemas']['Variant'];
export type VariantPrice = components['schemas']['VariantPrice'];
export type Channel = components['schemas']['Channel'];
export type ProductStatus = Product['status'];
export const STATUSES: readonly ProductStatus[] = ['draft', 'published', 'archived'];

export const keys = {
  products: ['catalog', 'products'] as const,
  product: (id: string) => ['catalog', 'product', id] as const,
  channels: ['catalog', 'channels'] as const,
  categories: ['catalog', 'categories'] as const,
  collections: ['catalog', 'collections'] as const,
};

/** Pick lists: one page of 200 is what a console select can show; the rest is reached by search. */
const PICK_LIMIT = 200;

export const useChannels = () =>
  useQuery({
    queryKey: keys.channels,
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/channels', { params: { query: { limit: PICK_LIMIT } } }))).data,
    staleTime: 5 * 60_000,
  });

export const useCategories = () =>
  useQuery({
    queryKey: keys.categories,
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/categories', { params: { query: { limit: PICK_LIMIT } } }))).data,
    staleTime: 5 * 60_000,
  });

export const useCollections = () =>
  useQuery({
    queryKey: keys.collections,
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/collections', { params: { query: { limit: PICK_LIMIT } } }))).data,
    staleTime: 5 * 60_000,
  });

export const statusTone = (s: ProductStatus) =>
  s === 'published' ? 'success' : s === 'archived' ? 'neutral' : 'warning';

/** The message to show for a form field: the API's own (placed by applyProblemToForm) or ours. */
export const fieldMessage = (
  error: { type?: string | number; message?: string | undefined } | undefined,
  fallback: string,
): string | undefined => (error ? (error.type === 'server' && error.message) || fallback : undefined);

/** Decimal places of a currency (2 for EUR, 0 for KRW, 3 for KWD). */
export const currencyDigits = (currency: string): number =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** "12.90" → 1290 in a 2-digit currency; undefined when the text is not an amount. */
export const toMinor = (text: string, currency: string): number | undefined => {
  const digits = currencyDigits(currency);
  const m = /^(\d{1,12})(?:[.,](\d*))?$/.exec(text.trim());
  if (!m?.[1]) return undefined;
  const frac = m[2] ?? '';
  if (frac.length > digits) return undefined;
  return Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
};

/** 1290 → "12.90": the value an amount input starts with. */
export const fromMinor = (minor: number, currency: string): string => {
  const digits = currencyDigits(currency);
  return digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits);
};

/** An error as one line of text (for toasts): the API's message and its code. */
export const ProblemText = ({ error }: { error: unknown }) => {
  const { t } = useTranslation();
  if (error instanceof ApiError) {
    const known = t(`errors.${error.code}`, { ns: 'kit', defaultValue: '' });
    return (
      <>
        {error.problem.detail || known || error.problem.title} <code>{error.code}</code>
      </>
    );
  }
  return <>{error instanceof Error ? error.message : t('errors.unexpected', { ns: 'kit' })}</>;
};

/** The members every problem document has (a product's `title` field is not the problem's `title`). */
const PROBLEM_MEMBERS = new Set([
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'code',
  'request_id',
  'errors',
]);

/**
 * Puts an API refusal on the form's fields: VALIDATION_FAILED field errors (applyProblemToForm), and
 * conflicts such as ALREADY_EXISTS whose problem names the field's value as a member (`handle`,
 * `sku`, `barcode`). Answers whether something was placed, so the caller shows a general alert otherwise.
 */
export const placeProblem = <T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): boolean => {
  if (applyProblemToForm(error, setError, fields)) return true;
  if (!(error instanceof ApiError) || error.status !== 409) return false;
  const members = error.problem as unknown as Record<string, unknown>;
  const field = fields.find((f) => !PROBLEM_MEMBERS.has(String(f)) && typeof members[String(f)] === 'string');
  if (!field) return false;
  setError(field, { type: 'server', message: error.problem.detail ?? error.problem.title });
  return true;
};

/** The catalog is for owners and managers (the API refuses staff): staff get a readable message, no requests. */
export const ownersAndManagers = (Screen: () => ReactNode) => {
  const Guarded = () => {
    const { t } = useTranslation();
    const { user } = useStaffSession();
    if (user?.role === 'staff') {
      return (
        <div className="pz-stack">
          <h1>{t('catalog.title')}</h1>
          <Alert tone="info">{t('catalog.staffOnly')}</Alert>
        </div>
      );
    }
    return <Screen />;
  };
  return Guarded;
};
