// The 收執聯 after a successful activation (as the seeds' online services give one, 000/001): what was accepted and
// when, for the holder to print or save as PDF. activation.css prints this element alone.
import { forwardRef } from "react";
import type { ActivationReceipt as ActivationReceiptView } from "~/activation/activation.server";
import type { Locale } from "~/lib/i18n";
import { CardSummary, CertificateList } from "./activation-details";
import { activationText, formatTaipeiDateTime } from "./activation-text";

export const ActivationReceipt = forwardRef<HTMLHeadingElement, { locale: Locale; receipt: ActivationReceiptView }>(
  function ActivationReceipt({ locale, receipt }, titleRef) {
    const say = activationText;
    return (
      <article className="activation-receipt" aria-labelledby="activation-receipt-title">
        <p className="activation-receipt__issuer">{say(locale, "receipt.issuer")}</p>
        <h2 id="activation-receipt-title" ref={titleRef} tabIndex={-1}>{say(locale, "receipt.title")}</h2>
        <p className="activation-receipt__done">
          <strong>{say(locale, "receipt.done")}</strong>
        </p>
        <CardSummary locale={locale} view={receipt}>
          <div>
            <dt>{say(locale, "receipt.activatedAt")}</dt>
            <dd>
              <time dateTime={receipt.activatedAt}>{formatTaipeiDateTime(locale, receipt.activatedAt)}</time>
            </dd>
          </div>
        </CardSummary>
        <section aria-labelledby="activation-receipt-certificates">
          <h3 id="activation-receipt-certificates">{say(locale, "receipt.certificates")}</h3>
          <CertificateList locale={locale} certificates={receipt.certificates} headingLevel={4} />
        </section>
        <ul className="activation-receipt__notes">
          <li>{say(locale, "receipt.registerNote")}</li>
          <li>{say(locale, "receipt.oldCardNote")}</li>
          <li>{say(locale, "receipt.pinNote")}</li>
        </ul>
        <div className="activation-receipt__actions">
          <button type="button" className="button button--primary activation-print" onClick={() => window.print()}>
            {say(locale, "receipt.print")}
          </button>
          <p className="activation-muted">{say(locale, "receipt.printHint")}</p>
        </div>
      </article>
    );
  },
);
