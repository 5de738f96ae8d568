// Where a holder stands (app/eligibility/rules.ts assessEligibility), in plain words: the reason — quoting the
// seed's own message and code where it has one — what to do instead, and the card's final end. Presentational:
// the locale comes in as a prop and every date as an ISO string, shown in Asia/Taipei.
import { useId, type ReactNode } from "react";
import { MOICA_SITE, SUPPORT_PHONE } from "~/components/support-contact";
import { mustApplyInPerson, type SerializedAssessment } from "~/eligibility/rules";
import { eligibilityEn } from "~/i18n/eligibility.en";
import {
  eligibilityZhTW,
  type EligibilityMessageKey,
  type EligibilityMessages,
  type EligibilityVars,
} from "~/i18n/eligibility.zh-TW";
import { fillPlaceholders } from "~/i18n/placeholders";
import { formatCount, type Locale } from "~/lib/i18n";

/** 003 用戶須知: "IC卡工本費250元" at the household registration office. */
const IN_PERSON_CARD_FEE_NTD = 250;
const TAIPEI = "Asia/Taipei";
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const catalogues: Record<Locale, EligibilityMessages> = { "zh-TW": eligibilityZhTW, en: eligibilityEn };

export function eligibilityText<K extends EligibilityMessageKey>(locale: Locale, key: K, ...[vars]: EligibilityVars<K>): string {
  return fillPlaceholders(catalogues[locale][key], vars);
}

const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  "zh-TW": new Intl.DateTimeFormat("zh-TW", { timeZone: TAIPEI, year: "numeric", month: "long", day: "numeric" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: TAIPEI, year: "numeric", month: "long", day: "numeric" }),
};
const timeFormat = new Intl.DateTimeFormat("en-GB", { timeZone: TAIPEI, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** 2026年11月23日 / 23 November 2026, in Taiwan. */
export function formatTaipeiDate(locale: Locale, iso: string): string {
  return dateFormats[locale].format(new Date(iso));
}

/**
 * Date and minute in Taiwan. An opening instant is rounded up to the next minute, a closing one down, so the
 * time shown always lies inside the window (001: "以系統日期及時間為主").
 */
export function formatTaipeiDateTime(locale: Locale, iso: string, edge: "opens" | "closes"): string {
  const ms = new Date(iso).getTime();
  const shown = new Date(edge === "opens" ? Math.ceil(ms / MINUTE_MS) * MINUTE_MS : ms);
  return eligibilityText(locale, "eligibility.dateTime", {
    date: dateFormats[locale].format(shown),
    time: timeFormat.format(shown),
  });
}

type Refused = Extract<SerializedAssessment, { outcome: "REFUSED" }>;
type Eligible = Extract<SerializedAssessment, { outcome: "ELIGIBLE" }>;

export interface EligibilityResultProps {
  assessment: SerializedAssessment;
  locale: Locale;
  /** The result's own heading level; its sections use the next one. */
  headingLevel?: 1 | 2;
  /** Where "apply" leads: the application form. */
  applyHref?: string;
  /** Where an existing order is shown; defaults to its status page, /reissue/orders/:orderNumber. */
  orderHref?: string;
}

export function EligibilityResult({
  assessment,
  locale,
  headingLevel = 2,
  applyHref = "/reissue/apply",
  orderHref,
}: EligibilityResultProps) {
  const id = useId();
  const say = <K extends EligibilityMessageKey>(key: K, ...vars: EligibilityVars<K>) => eligibilityText(locale, key, ...vars);
  const Heading = headingLevel === 1 ? "h1" : "h2";
  const Subheading = headingLevel === 1 ? "h2" : "h3";
  const kind = assessment.outcome === "REFUSED" ? assessment.reason : assessment.outcome;
  // An alert for the refusals that end the online route; a status for everything that is simply where things stand.
  const inPerson = assessment.outcome === "REFUSED" && mustApplyInPerson(assessment.reason);
  const role = inPerson ? "alert" : "status";

  let summary: ReactNode;
  let next: ReactNode = null;
  if (assessment.outcome === "ELIGIBLE") {
    summary = <p>{eligibleBody(locale, assessment)}</p>;
    next = (
      <>
        <p>
          <a href={applyHref} className="button button--primary button--large">
            {say("eligibility.ELIGIBLE.action")}
          </a>
        </p>
        <p className="eligibility-result__note">{say("eligibility.ELIGIBLE.payNote")}</p>
      </>
    );
  } else if (assessment.outcome === "ALREADY_APPLIED") {
    summary = <p>{say("eligibility.ALREADY_APPLIED.body", { orderNumber: assessment.orderNumber })}</p>;
    next = (
      <p>
        <a href={orderHref ?? `/reissue/orders/${encodeURIComponent(assessment.orderNumber)}`} className="button button--primary">
          {say("eligibility.ALREADY_APPLIED.action")}
        </a>
      </p>
    );
  } else {
    ({ summary, next } = refusal(locale, assessment));
  }

  return (
    <section
      className={`eligibility-result eligibility-result--${kind.toLowerCase().replaceAll("_", "-")}`}
      aria-labelledby={`${id}-title`}
    >
      <div role={role} className="eligibility-result__summary">
        <Heading id={`${id}-title`}>{say(`eligibility.${kind}.title`)}</Heading>
        {summary}
      </div>
      {next && (
        <section aria-labelledby={`${id}-next`} className="eligibility-result__next">
          <Subheading id={`${id}-next`}>
            {inPerson ? say("eligibility.inPerson.title") : say("eligibility.nextStep")}
          </Subheading>
          {next}
        </section>
      )}
      {assessment.outcome !== "ALREADY_APPLIED" && (
        <section aria-labelledby={`${id}-dates`} className="eligibility-result__dates">
          <Subheading id={`${id}-dates`}>{say("eligibility.dates")}</Subheading>
          <ValidityDates locale={locale} assessment={assessment} />
        </section>
      )}
    </section>
  );
}

function eligibleBody(locale: Locale, assessment: Eligible): string {
  const finalEnd = formatTaipeiDate(locale, assessment.finalEnd.at);
  const closesAt = formatTaipeiDateTime(locale, assessment.window.closesAt, "closes");
  return assessment.expired
    ? eligibilityText(locale, "eligibility.ELIGIBLE.expiredBody", { finalEnd, closesAt })
    : eligibilityText(locale, "eligibility.ELIGIBLE.body", { finalEnd, closesAt });
}

/** 002's messages are quoted as the system shows them (in Chinese); English readers get a translation beside it. */
function SeedMessage({ locale, text }: { locale: Locale; text: (locale: Locale) => string }) {
  return (
    <p className="eligibility-result__seed">
      {eligibilityText(locale, "eligibility.systemMessage")}
      {locale === "zh-TW" ? "：" : ": "}
      <q lang="zh-TW">{text("zh-TW")}</q>
      {locale !== "zh-TW" && <> (“{text(locale)}”)</>}
    </p>
  );
}

function refusal(locale: Locale, assessment: Refused): { summary: ReactNode; next: ReactNode } {
  const say = <K extends EligibilityMessageKey>(key: K, ...vars: EligibilityVars<K>) => eligibilityText(locale, key, ...vars);
  const date = (iso: string) => formatTaipeiDate(locale, iso);
  const opens = (iso: string) => formatTaipeiDateTime(locale, iso, "opens");
  const closes = (iso: string) => formatTaipeiDateTime(locale, iso, "closes");
  const inPerson = mustApplyInPerson(assessment.reason) ? <InPerson locale={locale} /> : null;
  switch (assessment.reason) {
    case "REVOKED":
    case "SUSPENDED":
      return { summary: <p>{say(`eligibility.${assessment.reason}.body`)}</p>, next: inPerson };
    case "WINDOW_CLOSED":
      return {
        summary: (
          <p>
            {say("eligibility.WINDOW_CLOSED.body", {
              finalEnd: date(assessment.finalEnd.at),
              closesAt: closes(assessment.window.closesAt),
            })}
          </p>
        ),
        next: inPerson,
      };
    case "AWAITING_ACTIVATION":
      return { summary: <p>{say("eligibility.AWAITING_ACTIVATION.body")}</p>, next: null };
    case "TOO_MANY_VALID_CARDS":
      return {
        summary: (
          <>
            <SeedMessage locale={locale} text={(l) => eligibilityText(l, "eligibility.TOO_MANY_VALID_CARDS.seed")} />
            <p>{say("eligibility.TOO_MANY_VALID_CARDS.body")}</p>
          </>
        ),
        next: <p>{say("eligibility.TOO_MANY_VALID_CARDS.action", { phone: SUPPORT_PHONE })}</p>,
      };
    case "EXTEND_INSTEAD":
      return {
        summary: (
          <p>
            {say(assessment.expired ? "eligibility.EXTEND_INSTEAD.expiredBody" : "eligibility.EXTEND_INSTEAD.body", {
              notAfter: date(assessment.finalEnd.notAfter),
            })}
          </p>
        ),
        next: (
          <>
            <p>
              {say("eligibility.EXTEND_INSTEAD.how", {
                opensAt: opens(assessment.extensionWindow.opensAt),
                closesAt: closes(assessment.extensionWindow.closesAt),
                finalEnd: date(assessment.finalEnd.at),
              })}
            </p>
            <ul className="bullets">
              <li>
                {say("eligibility.EXTEND_INSTEAD.online")} <a href={MOICA_SITE}>{say("eligibility.moicaSite")}</a>
              </li>
              <li>{say("eligibility.EXTEND_INSTEAD.office")}</li>
            </ul>
            <p>{say("eligibility.EXTEND_INSTEAD.later", { opensAt: opens(assessment.window.opensAt) })}</p>
          </>
        ),
      };
    case "TOO_EARLY": {
      // The window's "N days" is exact (rules.ts), so the difference is a whole number of days.
      const days = Math.round((Date.parse(assessment.finalEnd.at) - Date.parse(assessment.windowOpensAt)) / DAY_MS);
      const seed = (l: Locale) => eligibilityText(l, "eligibility.TOO_EARLY.seed", { code: assessment.messageCode });
      return {
        summary: (
          <>
            <SeedMessage locale={locale} text={seed} />
            <p>{say("eligibility.TOO_EARLY.body", { before: formatCount(locale, "days", days) })}</p>
          </>
        ),
        next: (
          <>
            {assessment.extensionOpensAt && (
              <p>{say("eligibility.TOO_EARLY.extendFirst", { opensAt: opens(assessment.extensionOpensAt) })}</p>
            )}
            <p>{say("eligibility.TOO_EARLY.wait", { opensAt: opens(assessment.windowOpensAt) })}</p>
          </>
        ),
      };
    }
  }
}

/** 002 注意事項 2 / 003 用戶須知: what to bring to any household registration office. */
function InPerson({ locale }: { locale: Locale }) {
  return (
    <>
      <p>{eligibilityText(locale, "eligibility.inPerson.body")}</p>
      <ul className="checklist">
        <li>{eligibilityText(locale, "eligibility.inPerson.id")}</li>
        <li>{eligibilityText(locale, "eligibility.inPerson.fee", { amount: IN_PERSON_CARD_FEE_NTD })}</li>
        <li>{eligibilityText(locale, "eligibility.inPerson.email")}</li>
      </ul>
    </>
  );
}

function ValidityDates({ locale, assessment }: { locale: Locale; assessment: Eligible | Refused }) {
  const { finalEnd, window } = assessment;
  const say = (key: "eligibility.finalEnd" | "eligibility.finalEndIfExtended" | "eligibility.currentEnd" | "eligibility.window") =>
    eligibilityText(locale, key);
  return (
    <>
      <dl className="eligibility-result__dl">
        {finalEnd.basis === "IF_EXTENDED" && (
          <div>
            <dt>{say("eligibility.currentEnd")}</dt>
            <dd>
              <time dateTime={finalEnd.notAfter}>{formatTaipeiDate(locale, finalEnd.notAfter)}</time>
            </dd>
          </div>
        )}
        <div>
          <dt>{say(finalEnd.basis === "EXTENDED" ? "eligibility.finalEnd" : "eligibility.finalEndIfExtended")}</dt>
          <dd>
            <time dateTime={finalEnd.at}>{formatTaipeiDate(locale, finalEnd.at)}</time>
          </dd>
        </div>
        <div>
          <dt>{say("eligibility.window")}</dt>
          <dd>
            {eligibilityText(locale, "eligibility.windowRange", {
              opensAt: formatTaipeiDateTime(locale, window.opensAt, "opens"),
              closesAt: formatTaipeiDateTime(locale, window.closesAt, "closes"),
            })}
          </dd>
        </div>
      </dl>
      <p className="eligibility-result__note">{eligibilityText(locale, "eligibility.timeZoneNote")}</p>
    </>
  );
}
