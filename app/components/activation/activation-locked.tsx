// 002: 用戶代碼輸入錯誤 4 次被鎖 — support lifts the lock for a holder who still knows the code; one who forgot it has
// it reset at any household registration office (in person or by proxy), then activates online themselves.
import { forwardRef } from "react";
import { SUPPORT_PHONE, SUPPORT_PHONE_HREF } from "~/components/support-contact";
import type { Locale } from "~/lib/i18n";
import { activationText } from "./activation-text";

// The server's ACTIVATION_LOCKED message says the same in one paragraph; the panel lays the two cases out instead.
export const ActivationLocked = forwardRef<HTMLDivElement, { locale: Locale }>(
  function ActivationLocked({ locale }, ref) {
    const say = activationText;
    return (
      <div ref={ref} className="activation-locked" role="alert" tabIndex={-1} aria-labelledby="activation-locked-title">
        <h2 id="activation-locked-title">{say(locale, "locked.title")}</h2>
        <p>{say(locale, "locked.intro")}</p>
        <div className="activation-locked__case">
          <h3>{say(locale, "locked.remember.title")}</h3>
          <p>{say(locale, "locked.remember.body", { phone: SUPPORT_PHONE })}</p>
          <p>
            <a className="activation-phone" href={SUPPORT_PHONE_HREF}>{SUPPORT_PHONE}</a>
          </p>
        </div>
        <div className="activation-locked__case">
          <h3>{say(locale, "locked.forgot.title")}</h3>
          <p>{say(locale, "locked.forgot.body")}</p>
          <p>{say(locale, "locked.forgot.then")}</p>
        </div>
        <p className="activation-muted">{say(locale, "locked.noCodeKept")}</p>
      </div>
    );
  },
);
