import type { ReactNode } from "react";
import { useLocale } from "~/lib/i18n";
import type { Bilingual } from "../staff-text";

/** A labelled textarea or select with its hint and error tied to it, the error announced (role=alert). */
export function SupportControl({ id, label, hint, error, children }: {
  id: string;
  label: string;
  hint?: string;
  error?: Bilingual;
  children: (props: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}) {
  const locale = useLocale();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="staff-field">
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": described })}
      {hint ? <p id={`${id}-hint`} className="staff-field__hint">{hint}</p> : null}
      {error ? <p id={`${id}-error`} className="staff-field__error" role="alert">{error[locale]}</p> : null}
    </div>
  );
}
