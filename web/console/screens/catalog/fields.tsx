/** A labelled select and textarea in the kit's field style (the kit's Field is an input). */
import {
  forwardRef,
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

const describedBy = (id: string, error?: string, hint?: ReactNode) =>
  error ? `${id}-err` : hint ? `${id}-hint` : undefined;

const Messages = ({ id, error, hint }: { id: string; error?: string | undefined; hint?: ReactNode }) => (
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

export const SelectField = forwardRef<HTMLSelectElement, Common & SelectHTMLAttributes<HTMLSelectElement>>(
  ({ label, error, hint, children, ...rest }, ref) => {
    const id = useId();
    return (
      <div className="pz-field">
        <label htmlFor={id}>{label}</label>
        <select
          id={id}
          ref={ref}
          className="pz-select"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error, hint)}
          {...rest}
        >
          {children}
        </select>
        <Messages id={id} error={error} hint={hint} />
      </div>
    );
  },
);

export const TextAreaField = forwardRef<
  HTMLTextAreaElement,
  Common & TextareaHTMLAttributes<HTMLTextAreaElement>
>(({ label, error, hint, className, ...rest }, ref) => {
  const id = useId();
  return (
    <div className={`pz-field ${className ?? ''}`.trim()}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        ref={ref}
        className="pz-textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...rest}
      />
      <Messages id={id} error={error} hint={hint} />
    </div>
  );
});
