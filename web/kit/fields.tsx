/**
 * Labelled select, textarea and checkbox fields in the style of the kit's `Field` (form.tsx): the
 * error is announced and tied to the control by aria-describedby, a hint shows when there is no error.
 * They take a ref, so react-hook-form's `register` works on them.
 */
import {
  forwardRef,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react';

interface Common {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
}

/** The id of the message that describes a control (its error, else its hint). */
export const describedBy = (id: string, error?: string, hint?: ReactNode): string | undefined =>
  error ? `${id}-err` : hint ? `${id}-hint` : undefined;

/** A control's hint or error, under it. */
export const FieldMessages = ({
  id,
  error,
  hint,
}: {
  id: string;
  error?: string | undefined;
  hint?: ReactNode;
}) => (
  <>
    {hint && !error && (
      <span id={`${id}-hint`} className="pz-hint">
        {hint}
      </span>
    )}
    {error && (
      <span id={`${id}-err`} className="pz-error" role="alert">
        {error}
      </span>
    )}
  </>
);

export type SelectFieldProps = Common &
  SelectHTMLAttributes<HTMLSelectElement> & {
    /** The choices; or give <option> children instead. */
    options?: readonly { value: string; label: string }[];
  };

export const SelectField = forwardRef<HTMLSelectElement, SelectFieldProps>(
  ({ label, error, hint, options, children, id, className, ...rest }, ref) => {
    const auto = useId();
    const selectId = id ?? auto;
    return (
      <div className={`pz-field ${className ?? ''}`.trim()}>
        <label htmlFor={selectId}>{label}</label>
        <select
          id={selectId}
          ref={ref}
          className="pz-select"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(selectId, error, hint)}
          {...rest}
        >
          {options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
          {children}
        </select>
        <FieldMessages id={selectId} error={error} hint={hint} />
      </div>
    );
  },
);

export const TextAreaField = forwardRef<
  HTMLTextAreaElement,
  Common & TextareaHTMLAttributes<HTMLTextAreaElement>
>(({ label, error, hint, id, className, ...rest }, ref) => {
  const auto = useId();
  const areaId = id ?? auto;
  return (
    <div className={`pz-field ${className ?? ''}`.trim()}>
      <label htmlFor={areaId}>{label}</label>
      <textarea
        id={areaId}
        ref={ref}
        className="pz-textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(areaId, error, hint)}
        {...rest}
      />
      <FieldMessages id={areaId} error={error} hint={hint} />
    </div>
  );
});

/** A labelled checkbox. */
export const CheckField = forwardRef<
  HTMLInputElement,
  { label: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>
>(({ label, id, ...rest }, ref) => {
  const auto = useId();
  const boxId = id ?? auto;
  return (
    <div className="pz-row">
      <input id={boxId} ref={ref} type="checkbox" {...rest} />
      <label htmlFor={boxId}>{label}</label>
    </div>
  );
});
