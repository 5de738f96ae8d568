import { Form, useNavigation } from "@remix-run/react";
import type { StaffFormFailure } from "../form-result";
import { StaffField, StaffFormError } from "../staff-field";
import { useReconciliationText } from "./reconciliation-text";

// docs/bank-interfaces.md; repeated here because the server module that defines it cannot reach the browser.
const HEADER = "paid_at,bank_code,virtual_account,amount,bank_txn_id";

/** The upload form: one .csv file, sent as multipart; the size cap is shown, and checked again on the server. */
export function BankFileForm({ maxBytes, failure }: { maxBytes: number; failure?: StaffFormFailure }) {
  const { say } = useReconciliationText();
  const busy = useNavigation().state === "submitting";
  const limit = `${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MB`;
  return (
    <Form method="post" encType="multipart/form-data" className="staff-form bank-file-form" noValidate>
      <StaffFormError error={failure?.formError} />
      <StaffField name="file" type="file" accept=".csv,text/csv" required label={say("bankFiles.file")}
        hint={say("bankFiles.fileHint", { header: HEADER, limit })} error={failure?.fieldErrors?.file} />
      <StaffField name="signature" type="file" accept=".sig,application/octet-stream,text/plain" label={say("bankFiles.signature")}
        hint={say("bankFiles.signatureHint")} error={failure?.fieldErrors?.signature} />
      <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy || undefined}>
        {busy ? say("bankFiles.submitting") : say("bankFiles.submit")}
      </button>
    </Form>
  );
}
