// The read card awaiting activation, and the form that accepts it: the user code chosen at application and the
// holder's acceptance of the certificates shown (002: 檢視確認 … 點選"開卡"表示接受所簽發的憑證).
import { forwardRef, type FormEvent, type RefObject } from "react";
import type { ActivationPreview } from "~/activation/activation.server";
import type { Locale } from "~/lib/i18n";
import { CardSummary, CertificateList } from "./activation-details";
import { activationText, plainActivationText, type PlainActivationKey } from "./activation-text";

export const ActivationPreviewPanel = forwardRef<HTMLHeadingElement, { locale: Locale; preview: ActivationPreview; attemptsKnown: boolean }>(
  function ActivationPreviewPanel({ locale, preview, attemptsKnown }, titleRef) {
    return (
      <section className="activation-preview" aria-labelledby="activation-preview-title">
        <h2 id="activation-preview-title" ref={titleRef} tabIndex={-1}>{activationText(locale, "preview.title")}</h2>
        <p>{activationText(locale, "preview.intro")}</p>
        <CardSummary locale={locale} view={preview} />
        <CertificateList locale={locale} certificates={preview.certificates} headingLevel={3} />
        {/* After a wrong code the server's own message says how many tries are left; this count would be stale. */}
        {attemptsKnown && (
          <p className="activation-attempts">{activationText(locale, "preview.attemptsLeft", { count: preview.attemptsLeft })}</p>
        )}
      </section>
    );
  },
);

export interface ActivationFormProps {
  locale: Locale;
  userCode: string;
  onUserCodeChange: (value: string) => void;
  accepted: boolean;
  onAcceptedChange: (value: boolean) => void;
  busy: boolean;
  fieldErrors: { userCode?: string; accept?: string };
  /** The server's refusal (wrong code and the tries left, a mismatch…), shown above the button. */
  error: string | null;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  userCodeRef?: RefObject<HTMLInputElement>;
  acceptRef?: RefObject<HTMLInputElement>;
  errorRef?: RefObject<HTMLDivElement>;
}

export function ActivationForm(props: ActivationFormProps) {
  const { locale, userCode, accepted, busy, fieldErrors, error } = props;
  const say = (key: PlainActivationKey) => plainActivationText(locale, key);
  const codeDescribedBy = ["user-code-hint", fieldErrors.userCode ? "user-code-error" : null, error ? "activation-form-error" : null]
    .filter(Boolean)
    .join(" ");
  return (
    <form className="activation-form" onSubmit={props.onSubmit} noValidate aria-labelledby="activation-form-title">
      <h2 id="activation-form-title">{say("form.title")}</h2>
      <div className={`form-field${fieldErrors.userCode ? " form-field--error" : ""}`}>
        <label htmlFor="user-code">{say("form.userCode")}</label>
        <input
          ref={props.userCodeRef}
          id="user-code" name="userCode" type="password" autoComplete="off" autoCapitalize="off" spellCheck={false}
          minLength={6} maxLength={10} required className="form-field__short"
          value={userCode} onChange={(e) => props.onUserCodeChange(e.target.value)} disabled={busy}
          aria-invalid={fieldErrors.userCode || error ? true : undefined} aria-describedby={codeDescribedBy}
        />
        <p id="user-code-hint" className="form-field__hint">{say("form.userCodeHint")}</p>
        {fieldErrors.userCode ? <p id="user-code-error" className="form-field__error">{fieldErrors.userCode}</p> : null}
      </div>
      <div className={`form-field${fieldErrors.accept ? " form-field--error" : ""}`}>
        <input
          ref={props.acceptRef}
          id="accept" name="accepted" type="checkbox" required checked={accepted} disabled={busy}
          onChange={(e) => props.onAcceptedChange(e.target.checked)}
          aria-invalid={fieldErrors.accept ? true : undefined} aria-describedby={fieldErrors.accept ? "accept-error" : undefined}
        />
        <label htmlFor="accept">{say("form.accept")}</label>
        {fieldErrors.accept ? <p id="accept-error" className="form-field__error">{fieldErrors.accept}</p> : null}
      </div>
      {error ? (
        <div ref={props.errorRef} id="activation-form-error" className="activation-error" role="alert" tabIndex={-1}>
          <strong>{say("form.failed")}</strong>
          <p>{error}</p>
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--primary activation-submit" disabled={busy}>{say("form.submit")}</button>
      </div>
    </form>
  );
}
