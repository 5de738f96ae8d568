// The application (002/003 申請資料) and its confirm step. Name and ID come from the card, read-only; the user code
// is typed twice and never rendered back — after an error or on "edit" it must be typed again.
import { Form, Link } from "@remix-run/react";
import { useId, useState, type ReactNode } from "react";
import { isOutlyingIslandPostcode, POSTCODE_PATTERN } from "~/fulfilment/outlying-islands";
import type { OrdersMessageKey } from "~/i18n/orders.zh-TW";
import { formatAmount, type Locale } from "~/lib/i18n";
import { ADDRESS_MAX_LENGTH, APPLICATION_FIELDS, type ApplicationField, type ApplicationValues, type FieldErrors } from "~/orders/schema";
import { orderTextLoose, useOrderText } from "./order-text";

/** AppError's user message (app/lib/errors.server.ts), as the action returns it. */
export interface Bilingual {
  "zh-TW": string;
  en: string;
}

export interface Applicant {
  name: string;
  nationalIdLast4: string;
}
export interface Fees {
  cardNtd: number;
  postageNtd: number;
  totalNtd: number;
}
export interface DraftDetails {
  mobile: string;
  email: string;
  postcode: string;
  address: string;
  outlyingIsland: boolean;
}

const inputId = (field: ApplicationField) => `apply-${field}`;

export function fieldErrorText(locale: Locale, key: OrdersMessageKey): string {
  return orderTextLoose(locale, key, { max: ADDRESS_MAX_LENGTH });
}

function isOutlying(postcode: string | undefined): boolean {
  const value = postcode?.trim() ?? "";
  return POSTCODE_PATTERN.test(value) && isOutlyingIslandPostcode(value);
}

export function ApplicantSummary({ applicant }: { applicant: Applicant }) {
  const { say } = useOrderText();
  return (
    <section className="order-panel" aria-labelledby="applicant-title">
      <h2 id="applicant-title">{say("apply.applicant")}</h2>
      <dl className="order-dl">
        <div>
          <dt>{say("apply.name")}</dt>
          <dd>{applicant.name}</dd>
        </div>
        <div>
          <dt>{say("apply.nationalId")}</dt>
          <dd>
            <span aria-hidden="true">●●●●●●</span>
            {applicant.nationalIdLast4} <span className="order-muted">({say("apply.nationalIdMasked", { last4: applicant.nationalIdLast4 })})</span>
          </dd>
        </div>
      </dl>
    </section>
  );
}

/** 002's 用戶約定條款 and 注意事項, short enough to read in the box. */
export function TermsText({ fees }: { fees: Fees }) {
  const { locale, say } = useOrderText();
  const items: OrdersMessageKey[] = ["terms.correct", "terms.payWithin", "terms.noChanges", "terms.noRefund", "terms.delivery", "terms.oldCard"];
  return (
    <ol className="terms-box__list">
      <li>{say("terms.fee", { card: fees.cardNtd, postage: fees.postageNtd, total: fees.totalNtd })}</li>
      {items.map((key) => (
        <li key={key}>{orderTextLoose(locale, key)}</li>
      ))}
    </ol>
  );
}

function ErrorSummary({ errors }: { errors: FieldErrors }) {
  const { locale, say } = useOrderText();
  const fields = APPLICATION_FIELDS.filter((field) => errors[field]);
  if (fields.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{say("apply.errorSummary", { count: fields.length })}</h2>
      <ul>
        {fields.map((field) => (
          <li key={field}>
            <a href={`#${inputId(field)}`}>{fieldErrorText(locale, errors[field]!)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function FormError({ error }: { error: Bilingual | null | undefined }) {
  const { locale, say } = useOrderText();
  if (!error) return null;
  return (
    <div className="error-summary" role="alert">
      <h2>{say("error.title")}</h2>
      <p>{error[locale]}</p>
    </div>
  );
}

interface FieldProps {
  field: ApplicationField;
  label: string;
  hint?: string;
  error?: OrdersMessageKey;
  children: (aria: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
  after?: ReactNode;
}

function Field({ field, label, hint, error, children, after }: FieldProps) {
  const { locale } = useOrderText();
  const id = inputId(field);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`form-field${error ? " form-field--error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint && <p id={`${id}-hint`} className="form-field__hint">{hint}</p>}
      {error && (
        <p id={`${id}-error`} className="form-field__error">
          {fieldErrorText(locale, error)}
        </p>
      )}
      {children({ id, ...(error ? { "aria-invalid": true as const } : {}), ...(describedBy ? { "aria-describedby": describedBy } : {}) })}
      {after}
    </div>
  );
}

export interface ApplicationFormProps {
  applicant: Applicant;
  fees: Fees;
  values?: ApplicationValues;
  fieldErrors?: FieldErrors;
  formError?: Bilingual | null;
}

export function ApplicationForm({ applicant, fees, values = {}, fieldErrors = {}, formError }: ApplicationFormProps) {
  const { say } = useOrderText();
  const termsId = useId();
  const [postcode, setPostcode] = useState(values.postcode ?? "");
  const outlying = isOutlying(postcode);
  return (
    <>
      <ErrorSummary errors={fieldErrors} />
      <FormError error={formError} />
      <p>{say("apply.intro")}</p>
      <ApplicantSummary applicant={applicant} />
      <Form method="post" action="/reissue/apply" className="application-form" noValidate>
        <input type="hidden" name="intent" value="review" />
        <fieldset>
          <legend>{say("apply.contact")}</legend>
          <Field field="mobile" label={say("apply.mobile")} hint={say("apply.mobileHint")} error={fieldErrors.mobile}>
            {(aria) => <input {...aria} name="mobile" type="tel" inputMode="tel" autoComplete="tel" defaultValue={values.mobile} maxLength={20} required />}
          </Field>
          <Field field="email" label={say("apply.email")} hint={say("apply.emailHint")} error={fieldErrors.email}>
            {(aria) => <input {...aria} name="email" type="email" autoComplete="email" defaultValue={values.email} maxLength={254} required />}
          </Field>
          <Field
            field="postcode"
            label={say("apply.postcode")}
            hint={say("apply.postcodeHint")}
            error={fieldErrors.postcode}
            after={
              <p className="form-field__note" aria-live="polite">
                {outlying ? say("apply.outlyingNote") : null}
              </p>
            }
          >
            {(aria) => (
              <input
                {...aria}
                name="postcode"
                inputMode="numeric"
                autoComplete="postal-code"
                value={postcode}
                onChange={(event) => setPostcode(event.target.value)}
                maxLength={7}
                className="form-field__short"
                required
              />
            )}
          </Field>
          <Field field="address" label={say("apply.address")} hint={say("apply.addressHint")} error={fieldErrors.address}>
            {(aria) => <input {...aria} name="address" autoComplete="street-address" defaultValue={values.address} maxLength={ADDRESS_MAX_LENGTH} required />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{say("apply.userCode")}</legend>
          <Field field="userCode" label={say("apply.userCode")} hint={say("apply.userCodeHint")} error={fieldErrors.userCode}>
            {(aria) => <UserCodeInput aria={aria} name="userCode" />}
          </Field>
          <Field field="userCodeConfirm" label={say("apply.userCodeConfirm")} error={fieldErrors.userCodeConfirm}>
            {(aria) => <UserCodeInput aria={aria} name="userCodeConfirm" />}
          </Field>
        </fieldset>
        <fieldset>
          <legend id={`${termsId}-title`}>{say("apply.terms")}</legend>
          <div className="terms-box" role="region" aria-labelledby={`${termsId}-title`} tabIndex={0}>
            <TermsText fees={fees} />
          </div>
          <Field field="terms" label={say("apply.termsAccept")} error={fieldErrors.terms}>
            {(aria) => <input {...aria} name="terms" type="checkbox" value="on" defaultChecked={values.terms === "on"} required />}
          </Field>
        </fieldset>
        <p>
          <button type="submit" className="button button--primary button--large">
            {say("apply.review")}
          </button>
        </p>
      </Form>
      <p>
        <Link to="/reissue">{say("apply.backToEligibility")}</Link>
      </p>
    </>
  );
}

function UserCodeInput({ aria, name }: { aria: Record<string, unknown>; name: string }) {
  // Never a defaultValue: the code is not echoed into the page (002: the CA keeps no copy of it).
  return (
    <input {...aria} name={name} type="password" autoComplete="off" autoCapitalize="off" spellCheck={false} minLength={6} maxLength={10} className="form-field__short" required />
  );
}

export interface ApplicationConfirmProps {
  applicant: Applicant;
  fees: Fees;
  draft: DraftDetails;
  formError?: Bilingual | null;
}

export function ApplicationConfirm({ applicant, fees, draft, formError }: ApplicationConfirmProps) {
  const { locale, say } = useOrderText();
  const rows: Array<[string, ReactNode]> = [
    [say("apply.mobile"), draft.mobile],
    [say("apply.email"), draft.email],
    [say("apply.postcode"), draft.outlyingIsland ? `${draft.postcode}（${say("confirm.outlyingYes")}）` : draft.postcode],
    [say("apply.address"), draft.address],
    [say("apply.userCode"), say("confirm.userCodeHidden")],
    [say("confirm.amount"), formatAmount(locale, fees.totalNtd)],
  ];
  return (
    <>
      <FormError error={formError} />
      <p>{say("confirm.intro")}</p>
      <ApplicantSummary applicant={applicant} />
      <section className="order-panel" aria-labelledby="confirm-details">
        <h2 id="confirm-details">{say("apply.contact")}</h2>
        <dl className="order-dl">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <div className="notice" role="note">
        <ul className="bullets">
          <li>{say("confirm.payNote")}</li>
          <li>{say("terms.noChanges")}</li>
          <li>{say("terms.noRefund")}</li>
        </ul>
      </div>
      <div className="form-actions">
        <Form method="post" action="/reissue/apply?step=confirm">
          <input type="hidden" name="intent" value="confirm" />
          <button type="submit" className="button button--primary button--large">
            {say("confirm.submit")}
          </button>
        </Form>
        <Link to="/reissue/apply" className="button button--secondary">
          {say("confirm.edit")}
        </Link>
      </div>
      <p className="page__note">{say("confirm.editNote")}</p>
    </>
  );
}
