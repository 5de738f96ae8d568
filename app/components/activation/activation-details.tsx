// What the holder checks before accepting (002: 檢視確認 IC 卡中有關憑證的內容無誤), and what the receipt repeats:
// the card, the holder's name and each certificate's usage, serial number and validity in Taiwan time.
import type { ReactNode } from "react";
import type { ActivationCertificate } from "~/activation/activation.server";
import type { Locale } from "~/lib/i18n";
import { formatOrderNumber } from "~/orders/order-number";
import { activationText, formatTaipeiDateTime } from "./activation-text";

// Signing first, as the card itself lists them (004: 憑證序號 0 / 1).
const USAGE_ORDER: Record<ActivationCertificate["usage"], number> = { SIGNING: 0, ENCRYPTION: 1 };

export interface CardDetailsView {
  orderNumber: string;
  cardNumber: string;
  holderName: string;
}

/** The card's number, its order and its holder; `children` adds rows (the receipt's activation time). */
export function CardSummary({ locale, view, children }: { locale: Locale; view: CardDetailsView; children?: ReactNode }) {
  return (
    <dl className="activation-dl">
      <div>
        <dt>{activationText(locale, "preview.orderNumber")}</dt>
        <dd className="activation-figure">{formatOrderNumber(view.orderNumber)}</dd>
      </div>
      <div>
        <dt>{activationText(locale, "preview.cardNumber")}</dt>
        <dd className="activation-figure" data-card-number={view.cardNumber}>{view.cardNumber}</dd>
      </div>
      <div>
        <dt>{activationText(locale, "preview.holderName")}</dt>
        <dd>{view.holderName}</dd>
      </div>
      {children}
    </dl>
  );
}

export function CertificateList({ locale, certificates, headingLevel }: { locale: Locale; certificates: ActivationCertificate[]; headingLevel: 3 | 4 }) {
  const Heading = headingLevel === 3 ? "h3" : "h4";
  const sorted = [...certificates].sort((a, b) => USAGE_ORDER[a.usage] - USAGE_ORDER[b.usage]);
  return (
    <>
      <ul className="activation-certificates">
        {sorted.map((certificate) => (
          <li key={certificate.serialNumber} className="activation-certificate" data-usage={certificate.usage}>
            <Heading>{activationText(locale, `certificate.usage.${certificate.usage}`)}</Heading>
            <dl className="activation-dl">
              <div>
                <dt>{activationText(locale, "certificate.serial")}</dt>
                <dd className="activation-figure activation-serial">{certificate.serialNumber}</dd>
              </div>
              <div>
                <dt>{activationText(locale, "certificate.validity")}</dt>
                <dd>
                  {activationText(locale, "certificate.validityRange", {
                    from: formatTaipeiDateTime(locale, certificate.notBefore),
                    to: formatTaipeiDateTime(locale, certificate.notAfter),
                  })}
                </dd>
              </div>
            </dl>
          </li>
        ))}
      </ul>
      <p className="activation-muted">{activationText(locale, "certificate.timeZone")}</p>
    </>
  );
}
