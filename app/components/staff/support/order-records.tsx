import { Form } from "@remix-run/react";
import type { StaffFormFailure } from "../form-result";
import { StaffFormError } from "../staff-field";
import {
  ADD_NOTE_INTENT, NOT_RECEIVED_INTENT, RESEND_MAIL_INTENT, RESOLVE_CASE_INTENT, SUPPORT_NOTE_MAX, SUPPORT_REASON_MAX,
} from "~/support/schema";
import type { SupportOrderPageView } from "./order-overview";
import { SupportControl } from "./support-fields";
import { formatTaipeiDateTime, supportTextLoose, useSupportText } from "./support-text";

const mine = (failure: StaffFormFailure | undefined, intent: string, caseId?: string) =>
  failure?.intent === intent && (caseId === undefined || failure.values?.caseId === caseId) ? failure : undefined;

function Reason({ id, label, hint, failure, field = "reason" }: { id: string; label: string; hint: string; failure?: StaffFormFailure; field?: string }) {
  return (
    <SupportControl id={id} label={label} hint={hint} error={failure?.fieldErrors?.[field]}>
      {(props) => <textarea {...props} name={field} className="support-textarea" required maxLength={SUPPORT_REASON_MAX} defaultValue={failure?.values?.[field]} />}
    </SupportControl>
  );
}

/** The e-mails written for the order, and sending one again. */
export function OrderMails({ view, failure }: { view: SupportOrderPageView; failure?: StaffFormFailure }) {
  const { locale, say } = useSupportText();
  const own = mine(failure, RESEND_MAIL_INTENT);
  return (
    <section className="support-section" aria-labelledby="mails-title">
      <h2 id="mails-title">{say("mails.title")}</h2>
      {view.mails.length === 0 ? <p>{say("mails.none")}</p> : (
        <>
          <table className="staff-table">
            <thead>
              <tr>
                <th scope="col">{say("mails.kind")}</th>
                <th scope="col">{say("mails.status")}</th>
                <th scope="col">{say("mails.sentAt")}</th>
                <th scope="col">{say("mails.attempts")}</th>
                <th scope="col">{say("mails.resends")}</th>
              </tr>
            </thead>
            <tbody>
              {view.mails.map((mail) => (
                <tr key={mail.kind}>
                  <th scope="row">{supportTextLoose(locale, `mailKind.${mail.kind}`)}</th>
                  <td>{supportTextLoose(locale, `mailStatus.${mail.status}`)}{mail.lastError ? <span className="staff-flag"> ({mail.lastError})</span> : null}</td>
                  <td>{mail.sentAt ? formatTaipeiDateTime(locale, mail.sentAt) : say("order.none")}</td>
                  <td>{mail.attempts}</td>
                  <td>{mail.resends}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Form method="post" className="staff-form staff-panel" noValidate aria-labelledby="resend-title">
            <h3 id="resend-title">{say("resend.title")}</h3>
            <p>{say("resend.intro")}</p>
            <input type="hidden" name="intent" value={RESEND_MAIL_INTENT} />
            <StaffFormError error={own?.formError} />
            <SupportControl id="resend-kind" label={say("resend.kind")} error={own?.fieldErrors?.kind}>
              {(props) => (
                <select {...props} name="kind" className="support-select" defaultValue={own?.values?.kind || view.mails[view.mails.length - 1]!.kind}>
                  {view.mails.map((mail) => <option key={mail.kind} value={mail.kind}>{supportTextLoose(locale, `mailKind.${mail.kind}`)}</option>)}
                </select>
              )}
            </SupportControl>
            <Reason id="resend-reason" label={say("resend.reason")} hint={say("resend.reasonHint")} failure={own} />
            <button type="submit" className="button button--primary">{say("resend.submit")}</button>
          </Form>
        </>
      )}
    </section>
  );
}

/** The order's support cases, each open one with its resolve form, and recording "delivered but not received". */
export function OrderCases({ view, failure }: { view: SupportOrderPageView; failure?: StaffFormFailure }) {
  const { locale, say } = useSupportText();
  const own = mine(failure, NOT_RECEIVED_INTENT);
  return (
    <section className="support-section" aria-labelledby="cases-title">
      <h2 id="cases-title">{say("cases.title")}</h2>
      {view.cases.length === 0 ? <p>{say("cases.none")}</p> : (
        <table className="staff-table">
          <thead>
            <tr>
              <th scope="col">{say("cases.kind")}</th>
              <th scope="col">{say("cases.openedAt")}</th>
              <th scope="col">{say("cases.reason")}</th>
              <th scope="col">{say("cases.state")}</th>
            </tr>
          </thead>
          <tbody>
            {view.cases.map((c) => (
              <tr key={c.id}>
                <th scope="row">{supportTextLoose(locale, `caseKind.${c.kind}`)}</th>
                <td>{formatTaipeiDateTime(locale, c.openedAt)}</td>
                <td>{c.reason}</td>
                <td>{c.resolvedAt ? say("cases.resolvedValue", { at: formatTaipeiDateTime(locale, c.resolvedAt), resolution: c.resolution ?? "" }) : <strong>{say("cases.open")}</strong>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view.cases.filter((c) => !c.resolvedAt).map((c) => {
        const resolveFailure = mine(failure, RESOLVE_CASE_INTENT, c.id);
        return (
          <Form key={c.id} method="post" className="staff-form" noValidate>
            <fieldset className="support-case-form">
              <legend>{say("resolve.legend", { kind: supportTextLoose(locale, `caseKind.${c.kind}`), at: formatTaipeiDateTime(locale, c.openedAt) })}</legend>
              <input type="hidden" name="intent" value={RESOLVE_CASE_INTENT} />
              <input type="hidden" name="caseId" value={c.id} />
              <StaffFormError error={resolveFailure?.formError} />
              <Reason id={`resolve-${c.id}`} label={say("resolve.resolution")} hint={say("resolve.resolutionHint")} failure={resolveFailure} field="resolution" />
              <button type="submit" className="button button--secondary">{say("resolve.submit")}</button>
            </fieldset>
          </Form>
        );
      })}
      <h3 id="not-received-title">{say("notReceived.title")}</h3>
      <p>{say("notReceived.intro")}</p>
      {!view.can.recordNotReceived ? <p className="staff-muted">{say("notReceived.unavailable")}</p> : (
        <Form method="post" className="staff-form" noValidate aria-labelledby="not-received-title">
          <input type="hidden" name="intent" value={NOT_RECEIVED_INTENT} />
          <StaffFormError error={own?.formError} />
          <Reason id="not-received-reason" label={say("notReceived.reason")} hint={say("notReceived.reasonHint")} failure={own} />
          <button type="submit" className="button button--primary">{say("notReceived.submit")}</button>
        </Form>
      )}
    </section>
  );
}

/** Support's own notes on the order (never shown to the holder), newest first, and a new one. */
export function OrderNotes({ view, failure }: { view: SupportOrderPageView; failure?: StaffFormFailure }) {
  const { locale, say } = useSupportText();
  const own = mine(failure, ADD_NOTE_INTENT);
  return (
    <section className="support-section" aria-labelledby="notes-title">
      <h2 id="notes-title">{say("notes.title")}</h2>
      <p className="staff-muted">{say("notes.intro")}</p>
      {view.notes.length === 0 ? <p>{say("notes.none")}</p> : (
        <ul className="support-notes">
          {view.notes.map((note) => (
            <li key={note.id}>
              <span className="staff-muted">{say("notes.by", { author: note.author, at: formatTaipeiDateTime(locale, note.createdAt) })}</span>
              {note.body}
            </li>
          ))}
        </ul>
      )}
      <Form method="post" className="staff-form" noValidate>
        <input type="hidden" name="intent" value={ADD_NOTE_INTENT} />
        <StaffFormError error={own?.formError} />
        <SupportControl id="note-body" label={say("notes.body")} hint={say("notes.bodyHint")} error={own?.fieldErrors?.body}>
          {(props) => <textarea {...props} name="body" className="support-textarea" required maxLength={SUPPORT_NOTE_MAX} defaultValue={own?.values?.body} />}
        </SupportControl>
        <button type="submit" className="button button--primary">{say("notes.submit")}</button>
      </Form>
    </section>
  );
}
