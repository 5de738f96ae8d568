// The activation page's client side: read the new card through HiCOS (pkcs11info?withcert=true, in a popup opened
// inside the click so blockers let it through), ask the server what awaits activation on it, then send the user code
// and the holder's acceptance. Only the code is dropped after a refusal; the reading and the tick stay.
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { ActivationPreview, ActivationReceipt as ActivationReceiptView } from "~/activation/activation.server";
import { userCodeSchema } from "~/activation/schema";
import { HicosError, hicosErrorMessage, readCardInfo } from "~/auth/hicos.client";
import type { Locale } from "~/lib/i18n";
import { ActivationApiError, requestActivation, requestActivationPreview, type CardReadingBody } from "./activation-api";
import { ActivationLocked } from "./activation-locked";
import { ActivationForm, ActivationPreviewPanel } from "./activation-preview";
import { ActivationReceipt } from "./activation-receipt";
import { activationText, useActivationText } from "./activation-text";

type Stage =
  | { kind: "start" }
  | { kind: "preview"; reading: CardReadingBody; preview: ActivationPreview; attemptsKnown: boolean }
  | { kind: "locked" }
  | { kind: "done"; receipt: ActivationReceiptView };

type Busy = "reading" | "checking" | "activating" | null;
type Focus = "preview" | "user-code" | "accept" | "locked" | "receipt" | "read-error" | "form-error";

const BUSY_TEXT = { reading: "read.reading", checking: "read.checking", activating: "form.working" } as const;

/** 002: 4 wrong codes lock activation; the server says so with this code, whichever request meets the lock. */
const LOCKED = "ACTIVATION_LOCKED";

function failureMessage(locale: Locale, failure: unknown): string {
  if (failure instanceof HicosError) return hicosErrorMessage(failure.code, locale, failure.lastError);
  if (failure instanceof ActivationApiError) return failure.messageIn(locale);
  return activationText(locale, "error.unexpected");
}

export function ActivationFlow({ hicosBaseUrl }: { hicosBaseUrl: string }) {
  const { locale, say } = useActivationText();
  const [stage, setStage] = useState<Stage>({ kind: "start" });
  const [busy, setBusy] = useState<Busy>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ userCode?: string; accept?: string }>({});
  const [userCode, setUserCode] = useState("");
  const [accepted, setAccepted] = useState(false);
  // Focus moves after the render that shows its target (inputs are disabled while busy, so not before).
  const [focus, setFocus] = useState<{ target: Focus | null; seq: number }>({ target: null, seq: 0 });
  const previewTitle = useRef<HTMLHeadingElement>(null);
  const receiptTitle = useRef<HTMLHeadingElement>(null);
  const lockedPanel = useRef<HTMLDivElement>(null);
  const readErrorBox = useRef<HTMLDivElement>(null);
  const userCodeInput = useRef<HTMLInputElement>(null);
  const acceptBox = useRef<HTMLInputElement>(null);
  const formErrorBox = useRef<HTMLDivElement>(null);

  const moveFocus = (target: Focus) => setFocus((current) => ({ target, seq: current.seq + 1 }));
  useEffect(() => {
    if (!focus.target) return;
    const targets = {
      preview: previewTitle, "user-code": userCodeInput, accept: acceptBox, locked: lockedPanel, receipt: receiptTitle,
      "read-error": readErrorBox, "form-error": formErrorBox,
    } satisfies Record<Focus, { current: HTMLElement | null }>;
    targets[focus.target].current?.focus();
  }, [focus]);

  async function onRead() {
    setReadError(null);
    setFormError(null);
    setFieldErrors({});
    setBusy("reading");
    try {
      // First await in the click: the HiCOS popup must open within the user's gesture.
      const card = await readCardInfo({ baseUrl: hicosBaseUrl });
      const certificates = card.certs.map((cert) => cert.certb64).filter(Boolean);
      if (certificates.length === 0) {
        setStage({ kind: "start" });
        setReadError(say("read.noCertificates"));
        moveFocus("read-error");
        return;
      }
      setBusy("checking");
      const reading = { cardNumber: card.cardNumber, certificates };
      const preview = await requestActivationPreview(reading);
      setStage({ kind: "preview", reading, preview, attemptsKnown: true });
      setUserCode("");
      setAccepted(false);
      moveFocus("preview");
    } catch (failure) {
      if (failure instanceof ActivationApiError && failure.code === LOCKED) {
        setStage({ kind: "locked" });
        moveFocus("locked");
      } else {
        // Whatever was shown before belonged to an earlier reading, maybe of another card.
        setStage({ kind: "start" });
        setReadError(failureMessage(locale, failure));
        moveFocus("read-error");
      }
    } finally {
      setBusy(null);
    }
  }

  async function onActivate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (stage.kind !== "preview" || busy) return;
    setFormError(null);
    const errors: { userCode?: string; accept?: string } = {};
    if (!userCodeSchema.safeParse(userCode).success) errors.userCode = say("form.userCodeRequired");
    if (!accepted) errors.accept = say("form.acceptRequired");
    setFieldErrors(errors);
    if (errors.userCode || errors.accept) return moveFocus(errors.userCode ? "user-code" : "accept");

    setBusy("activating");
    try {
      const receipt = await requestActivation(stage.reading, userCode);
      setUserCode("");
      setStage({ kind: "done", receipt });
      moveFocus("receipt");
    } catch (failure) {
      setUserCode("");
      if (failure instanceof ActivationApiError && failure.code === LOCKED) {
        setStage({ kind: "locked" });
        moveFocus("locked");
      } else {
        setFormError(failureMessage(locale, failure));
        const wrongCode = failure instanceof ActivationApiError && failure.code === "WRONG_USER_CODE";
        if (wrongCode) setStage({ ...stage, attemptsKnown: false });
        // A wrong code is retyped at once; any other refusal is read first (it may say to read the card again).
        moveFocus(wrongCode ? "user-code" : "form-error");
      }
    } finally {
      setBusy(null);
    }
  }

  if (stage.kind === "done") {
    return (
      <div className="activation-flow">
        <ActivationReceipt ref={receiptTitle} locale={locale} receipt={stage.receipt} />
      </div>
    );
  }

  const readAgain = stage.kind !== "start";
  return (
    <div className="activation-flow">
      <div className="activation-read">
        <button
          type="button"
          className={`button ${readAgain ? "button--secondary" : "button--primary button--large"} activation-read__button`}
          onClick={onRead}
          disabled={busy !== null}
        >
          {say(readAgain ? "read.again" : "read.button")}
        </button>
        {readAgain && stage.kind === "preview" ? <p className="activation-muted">{say("read.againHint")}</p> : null}
      </div>
      <p role="status" className="activation-status">{busy ? say(BUSY_TEXT[busy]) : ""}</p>
      {readError ? (
        <div ref={readErrorBox} className="activation-error" role="alert" tabIndex={-1}>
          <strong>{say("read.failed")}</strong>
          <p>{readError}</p>
        </div>
      ) : null}
      {stage.kind === "locked" && <ActivationLocked ref={lockedPanel} locale={locale} />}
      {stage.kind === "preview" && (
        <>
          <ActivationPreviewPanel ref={previewTitle} locale={locale} preview={stage.preview} attemptsKnown={stage.attemptsKnown} />
          <ActivationForm
            locale={locale}
            userCode={userCode}
            onUserCodeChange={setUserCode}
            accepted={accepted}
            onAcceptedChange={setAccepted}
            busy={busy !== null}
            fieldErrors={fieldErrors}
            error={formError}
            onSubmit={onActivate}
            userCodeRef={userCodeInput}
            acceptRef={acceptBox}
            errorRef={formErrorBox}
          />
        </>
      )}
    </div>
  );
}
