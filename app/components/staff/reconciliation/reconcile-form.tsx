import { Form, useNavigation } from "@remix-run/react";
import { RECONCILIATION_SOURCES } from "~/finance/reconciliation/schema";
import { useLocale } from "~/lib/i18n";
import type { StaffFormFailure } from "../form-result";
import { StaffField, StaffFormError } from "../staff-field";
import { useReconciliationText } from "./reconciliation-text";

export function ReconcileForm({ defaultDay, failure }: { defaultDay: string; failure?: StaffFormFailure }) {
  const { say, loose } = useReconciliationText();
  const locale = useLocale();
  const busy = useNavigation().state === "submitting";
  const sourceError = failure?.fieldErrors?.source;
  return (
    <Form method="post" className="staff-form reconcile-form" noValidate>
      <StaffFormError error={failure?.formError} />
      <StaffField name="day" type="date" label={say("reconcile.day")} hint={say("reconcile.dayHint")} required
        defaultValue={failure?.values?.day ?? defaultDay} error={failure?.fieldErrors?.day} className="staff-field__short" />
      <fieldset className="staff-field" aria-describedby={sourceError ? "source-error" : undefined}>
        <legend>{say("reconcile.source")}</legend>
        {RECONCILIATION_SOURCES.map((source, index) => (
          <label key={source} className="reconcile-choice">
            <input type="radio" name="source" value={source} defaultChecked={(failure?.values?.source ?? "STRIPE") === source || (!failure && index === 0)} />
            {loose(`source.${source}`)}
          </label>
        ))}
        {sourceError ? <p id="source-error" className="staff-field__error" role="alert">{sourceError[locale]}</p> : null}
      </fieldset>
      <button type="submit" className="button button--primary" disabled={busy}>{say("reconcile.submit")}</button>
    </Form>
  );
}
