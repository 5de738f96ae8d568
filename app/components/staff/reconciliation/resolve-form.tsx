import { Form } from "@remix-run/react";
import { EXCEPTION_RESOLUTIONS, RESOLUTION_NOTE_MAX } from "~/finance/reconciliation/schema";
import { useLocale } from "~/lib/i18n";
import type { StaffFormFailure } from "../form-result";
import { StaffField, StaffFormError } from "../staff-field";
import { useReconciliationText } from "./reconciliation-text";

export function ResolveForm({ failure }: { failure?: StaffFormFailure }) {
  const { say, loose } = useReconciliationText();
  const locale = useLocale();
  const resolutionError = failure?.fieldErrors?.resolution;
  return (
    <section className="staff-panel exception-resolve" aria-labelledby="resolve-title">
      <h2 id="resolve-title">{say("resolve.title")}</h2>
      <Form method="post" className="staff-form" noValidate>
        <StaffFormError error={failure?.formError} />
        <div className="staff-field">
          <label htmlFor="resolution">{say("resolve.resolution")}</label>
          <select id="resolution" name="resolution" required defaultValue={failure?.values?.resolution ?? ""}
            aria-invalid={resolutionError ? true : undefined} aria-describedby={resolutionError ? "resolution-error" : undefined}>
            <option value="" disabled>—</option>
            {EXCEPTION_RESOLUTIONS.map((r) => <option key={r} value={r}>{loose(`resolution.${r}`)}</option>)}
          </select>
          {resolutionError ? <p id="resolution-error" className="staff-field__error" role="alert">{resolutionError[locale]}</p> : null}
        </div>
        <StaffField name="note" label={say("resolve.note")} hint={say("resolve.noteHint")} required maxLength={RESOLUTION_NOTE_MAX}
          defaultValue={failure?.values?.note} error={failure?.fieldErrors?.note} />
        <StaffField name="orderNumber" label={say("resolve.orderNumber")} hint={say("resolve.orderNumberHint")} maxLength={20}
          autoComplete="off" spellCheck={false} className="staff-field__short" defaultValue={failure?.values?.orderNumber} error={failure?.fieldErrors?.orderNumber} />
        <button type="submit" className="button button--primary">{say("resolve.submit")}</button>
      </Form>
    </section>
  );
}
