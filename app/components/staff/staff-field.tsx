import type { InputHTMLAttributes } from "react";
import type { Bilingual } from "./staff-text";
import { useLocale } from "~/lib/i18n";

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id">;

/** A labelled input with its hint and error tied to it (aria-describedby), the error announced (role=alert). */
export function StaffField({ name, label, hint, error, formId = "", ...input }: {
  name: string;
  label: string;
  hint?: string;
  error?: Bilingual;
  formId?: string;
} & InputProps) {
  const locale = useLocale();
  const id = `${formId}${name}`;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const checkbox = input.type === "checkbox";
  const field = <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />;
  return (
    <div className={checkbox ? "staff-field staff-field--checkbox" : "staff-field"}>
      {checkbox ? field : null}
      <label htmlFor={id}>{label}</label>
      {checkbox ? null : field}
      {hint ? <p id={`${id}-hint`} className="staff-field__hint">{hint}</p> : null}
      {error ? (
        <p id={`${id}-error`} className="staff-field__error" role="alert">
          {error[locale]}
        </p>
      ) : null}
    </div>
  );
}

export function StaffFormError({ error }: { error?: Bilingual }) {
  const locale = useLocale();
  return error ? <p className="staff-notice staff-notice--error" role="alert">{error[locale]}</p> : null;
}
