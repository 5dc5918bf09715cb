/** Form fields for react-hook-form, with the problem+json field errors of the API shown next to their field. */
import { type InputHTMLAttributes, type ReactNode, useId } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from './api.ts';
import { describedBy, FieldMessages } from './fields.tsx';

export interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
}

/** A labelled input; the error is announced and tied to the input by aria-describedby. */
export const Field = ({ label, error, hint, id, ...input }: FieldProps) => {
  const auto = useId();
  const inputId = id ?? auto;
  return (
    <div className="pz-field">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        className="pz-input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(inputId, error, hint)}
        {...input}
      />
      <FieldMessages id={inputId} error={error} hint={hint} />
    </div>
  );
};

/**
 * Puts the API's VALIDATION_FAILED field errors (`body.email`) on the form's fields; answers true when
 * at least one was placed, so the caller shows a general message otherwise.
 */
export const applyProblemToForm = <T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): boolean => {
  if (!(error instanceof ApiError)) return false;
  let placed = false;
  for (const f of fields) {
    const message = error.fieldError(`body.${f}`) ?? error.fieldError(String(f));
    if (message) {
      setError(f, { type: 'server', message });
      placed = true;
    }
  }
  return placed;
};
