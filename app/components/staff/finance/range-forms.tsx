// The overview's two forms. Both are GET: a range is not a secret, and a URL can be bookmarked or shared with a
// colleague. The export is a plain form so the browser downloads the file instead of the router fetching it.
import { Form } from "@remix-run/react";
import { StaffField } from "../staff-field";
import type { FinanceFieldErrors } from "./field-errors";
import { useFinanceText } from "./finance-text";
import { MethodSelect } from "./method-select";

interface Range {
  from: string;
  to: string;
}

export function RangeForm({ values, errors }: { values: Range; errors?: FinanceFieldErrors }) {
  const { say } = useFinanceText();
  return (
    <Form method="get" className="finance-form">
      <fieldset>
        <legend>{say("range.legend")}</legend>
        <div className="finance-form__row">
          <StaffField name="from" formId="range-" type="date" label={say("range.from")} required defaultValue={values.from}
            hint={say("range.hint")} error={errors?.from} />
          <StaffField name="to" formId="range-" type="date" label={say("range.to")} required defaultValue={values.to}
            error={errors?.to} />
          <button type="submit" className="button button--secondary">{say("range.submit")}</button>
        </div>
      </fieldset>
    </Form>
  );
}

export function ExportForm({ values }: { values: Range }) {
  const { say } = useFinanceText();
  return (
    <section className="staff-panel" aria-labelledby="finance-export-title">
      <h2 id="finance-export-title">{say("export.title")}</h2>
      <p>{say("export.intro")}</p>
      <form method="get" action="/staff/finance/export" className="finance-form">
        <div className="finance-form__row">
          <StaffField name="from" formId="export-" type="date" label={say("range.from")} required defaultValue={values.from} />
          <StaffField name="to" formId="export-" type="date" label={say("range.to")} required defaultValue={values.to} />
          <MethodSelect id="export-method" label={say("export.method")} />
          <button type="submit" className="button button--primary">{say("export.submit")}</button>
        </div>
      </form>
    </section>
  );
}
