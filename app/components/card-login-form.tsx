// The login form: a challenge from the server, signed by the card through HiCOS (a popup speaking the real
// local-service protocol), then verified by the server. The challenge is fetched before the click so that the
// popup opens inside the click itself and popup blockers let it through. Its answer sets the pre-login cookie
// (HttpOnly: this script never sees it) that verify must receive from the same browser.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { HicosError, hicosErrorMessage, signWithCard } from "~/auth/hicos.client";
import { useLocale, useT } from "~/lib/i18n";

interface Challenge {
  nonce: string;
  /** The exact text the card signs: this site's origin and the nonce (issue 13). */
  tbs: string;
  expiresAt: string;
}

interface ApiError {
  error: { code: string; message: { "zh-TW": string; en: string } };
}

async function fetchChallenge(): Promise<Challenge> {
  const response = await fetch("/auth/card/challenge", { method: "POST", headers: { Accept: "application/json" } });
  if (!response.ok) throw (await response.json()) as ApiError;
  return response.json();
}

export function CardLoginForm({ hicosBaseUrl }: { hicosBaseUrl: string }) {
  const t = useT();
  const locale = useLocale();
  const [pin, setPin] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const challenge = useRef<Promise<Challenge> | null>(null);

  const freshChallenge = () => {
    challenge.current = fetchChallenge();
    challenge.current.catch(() => {}); // reported when used
  };
  useEffect(freshChallenge, []);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!/^.{6,8}$/.test(pin)) return setError(t("login.pinRequired"));
    setBusy(true);
    try {
      let current = await challenge.current!;
      if (new Date(current.expiresAt).getTime() - Date.now() < 10_000) {
        freshChallenge();
        current = await challenge.current!;
      }
      const signed = await signWithCard({ baseUrl: hicosBaseUrl, tbs: current.tbs, pin, signatureType: "PKCS7" });
      const response = await fetch("/auth/card/verify", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ nonce: current.nonce, ...signed }),
      });
      const body = await response.json();
      if (!response.ok) throw body as ApiError;
      window.location.assign((body as { next: string }).next);
      return;
    } catch (failure) {
      if (failure instanceof HicosError) setError(hicosErrorMessage(failure.code, locale, failure.lastError));
      else if (failure && typeof failure === "object" && "error" in failure) setError((failure as ApiError).error.message[locale]);
      else setError(hicosErrorMessage("not-running", locale));
      setPin("");
      freshChallenge(); // a challenge is single-use, whatever happened to it
    }
    setBusy(false);
  }

  return (
    <form className="card-login" onSubmit={onSubmit} noValidate>
      <label htmlFor="pin">{t("login.pin")}</label>
      <input
        id="pin" name="pin" type="password" autoComplete="off" inputMode="text" minLength={6} maxLength={8} required
        value={pin} onChange={(e) => setPin(e.target.value)} aria-describedby="pin-hint" disabled={busy}
      />
      <p id="pin-hint" className="card-login__hint">{t("login.pinHint")}</p>
      {error ? (
        <div className="card-login__error" role="alert">
          <strong>{t("login.failed")}</strong>
          <p>{error}</p>
        </div>
      ) : null}
      {busy ? <p role="status">{t("login.working")}</p> : null}
      <button type="submit" className="button button--primary" disabled={busy}>{t("login.submit")}</button>
    </form>
  );
}
