// A paid order's way to the holder (002 查詢/郵寄): the steps 已繳費 → 製卡中 → 已寄出 → 已送達, the registered-mail
// number to enter on Chunghwa Post's tracking page, the delivery estimate, problems support handles (0800-080-117),
// and the "delivered but not received" report.
import { Form, Link } from "@remix-run/react";
import { useEffect, useState, type CSSProperties } from "react";
import type { FulfilmentStage, FulfilmentView } from "~/fulfilment/fulfilment-status.server";
import type { OrdersMessageKey } from "~/i18n/orders.zh-TW";
import type { Locale } from "~/lib/i18n";
import { formatTaipeiDateTime, orderText, orderTextLoose } from "./order-text";
import { SUPPORT_PHONE, SUPPORT_PHONE_HREF } from "./support-contact";

export const NOT_RECEIVED_INTENT = "report-not-received";

const STEPS = ["paid", "printing", "mailed", "delivered"] as const;
const CURRENT_STEP: Record<FulfilmentStage, number> = {
  PRINTING: 1, PRINT_PROBLEM: 1, MAILED: 2, RETURNED: 2, DELIVERED: 3, ACTIVATED: 3,
};

// No stylesheet of this page has a screen-reader-only class; the step state is read out, the styling shows it.
const visuallyHidden: CSSProperties = {
  position: "absolute", width: 1, height: 1, margin: -1, padding: 0, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap", border: 0,
};

const WEEKDAYS_ZH = "日一二三四五六";
const enDate = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "long" });

/** A Taipei calendar date (YYYY-MM-DD) with its weekday: 12月2日（三） / Wed 2 December. */
export function formatEstimateDate(locale: Locale, date: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const at = new Date(Date.UTC(year, month - 1, day));
  return locale === "zh-TW" ? `${month}月${day}日（${WEEKDAYS_ZH[at.getUTCDay()]}）` : enDate.format(at);
}

export function fulfilmentStageLabel(locale: Locale, stage: FulfilmentStage): string | null {
  return stage === "RETURNED" || stage === "PRINT_PROBLEM" ? orderText(locale, `fulfilment.stage.${stage}`) : null;
}

export function OrderFulfilment({ locale, orderNumber, view }: { locale: Locale; orderNumber: string; view: FulfilmentView }) {
  const say = (key: OrdersMessageKey, vars?: Record<string, string | number>) => orderTextLoose(locale, key, vars);
  const phone = { phone: SUPPORT_PHONE };
  return (
    <section className="order-panel order-fulfilment" aria-labelledby="order-fulfilment-title">
      <h2 id="order-fulfilment-title">{say("fulfilment.title")}</h2>
      <FulfilmentSteps locale={locale} stage={view.stage} />
      {view.stage === "PRINTING" && <p>{say("fulfilment.printingBody")}</p>}
      {view.stage === "PRINT_PROBLEM" && (
        <div className="notice" role="note">
          <p>{say("fulfilment.printProblemBody", phone)}</p>
          <p><a href={SUPPORT_PHONE_HREF}>{SUPPORT_PHONE}</a></p>
        </div>
      )}
      {view.stage === "RETURNED" && (
        <div className="notice" role="note">
          <p>{say("fulfilment.returnedBody", phone)}</p>
          <p><a href={SUPPORT_PHONE_HREF}>{SUPPORT_PHONE}</a></p>
        </div>
      )}
      {view.stage === "MAILED" && <p>{say("fulfilment.mailedBody")}</p>}
      {view.stage === "DELIVERED" && view.deliveredAt && (
        <p>{say("fulfilment.deliveredBody", { date: formatTaipeiDateTime(locale, view.deliveredAt) })}</p>
      )}
      {view.stage === "ACTIVATED" && <p>{say("fulfilment.activatedBody")}</p>}
      {(view.stage === "MAILED" || view.stage === "DELIVERED") && (
        <p>
          <Link className="button button--primary" to="/activate">{say("fulfilment.activateLink")}</Link>
        </p>
      )}
      {(view.stage === "PRINTING" || view.stage === "MAILED") && view.estimate && <Estimate locale={locale} estimate={view.estimate} />}
      {view.mailNumber && <MailNumber locale={locale} view={view} />}
      {view.tracking.length > 0 && (
        <section aria-labelledby="order-tracking-title">
          <h3 id="order-tracking-title">{say("fulfilment.tracking")}</h3>
          <ol className="order-timeline">
            {view.tracking.map((event) => (
              <li key={`${event.status}-${event.occurredAt}`} className="order-timeline__item">
                <time dateTime={event.occurredAt}>{formatTaipeiDateTime(locale, event.occurredAt)}</time>
                <span>
                  {say(`fulfilment.tracking.${event.status}`)}
                  {event.office ? `（${event.office}）` : null}
                </span>
              </li>
            ))}
          </ol>
        </section>
      )}
      {view.stage === "DELIVERED" && <NotReceived locale={locale} orderNumber={orderNumber} view={view} />}
    </section>
  );
}

function FulfilmentSteps({ locale, stage }: { locale: Locale; stage: FulfilmentStage }) {
  const current = CURRENT_STEP[stage];
  const finished = stage === "ACTIVATED";
  return (
    <ol className="fulfilment-steps" aria-label={orderText(locale, "fulfilment.steps")}>
      {STEPS.map((step, index) => {
        const done = index < current || (finished && index === current);
        const isCurrent = index === current && !finished;
        const state = done ? "done" : isCurrent ? "current" : "todo";
        return (
          <li key={step} className={`fulfilment-steps__step fulfilment-steps__step--${state}`} aria-current={isCurrent ? "step" : undefined}>
            {orderText(locale, `fulfilment.step.${step}`)}
            {done && <span style={visuallyHidden}>{orderText(locale, "fulfilment.stepDone")}</span>}
            {isCurrent && <span style={visuallyHidden}>{orderText(locale, "fulfilment.stepCurrent")}</span>}
          </li>
        );
      })}
    </ol>
  );
}

function Estimate({ locale, estimate }: { locale: Locale; estimate: NonNullable<FulfilmentView["estimate"]> }) {
  const from = formatEstimateDate(locale, estimate.from);
  const to = formatEstimateDate(locale, estimate.to);
  return (
    <div className="fulfilment-estimate">
      <p>
        <strong>
          {estimate.from === estimate.to
            ? orderText(locale, "fulfilment.estimateDay", { date: from })
            : orderText(locale, "fulfilment.estimateRange", { from, to })}
        </strong>
      </p>
      <p className="order-muted">
        {orderText(locale, estimate.basis === "payment" ? "fulfilment.estimateFromPayment" : "fulfilment.estimateFromDispatch")}
      </p>
      {estimate.passed && <p>{orderText(locale, "fulfilment.estimatePassed", { phone: SUPPORT_PHONE })}</p>}
    </div>
  );
}

function MailNumber({ locale, view }: { locale: Locale; view: FulfilmentView }) {
  // The copy button needs the clipboard API: shown only once the page runs in a browser.
  const [canCopy, setCanCopy] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setCanCopy(typeof navigator !== "undefined" && Boolean(navigator.clipboard)), []);
  const copy = () => {
    void navigator.clipboard.writeText(view.mailNumber ?? "").then(() => setCopied(true), () => setCopied(false));
  };
  return (
    <>
      <dl className="order-dl">
        <div>
          <dt id="order-mail-number-label">{orderText(locale, "fulfilment.mailNumber")}</dt>
          <dd>
            {/* The grouped number reads better; the copy button copies the digits only, as the post's page wants them. */}
            <code className="order-figure fulfilment-mail-number" data-mail-number={view.mailNumber ?? ""} style={{ userSelect: "all" }}>
              {view.mailNumberFormatted}
            </code>
            {canCopy && (
              <>
                {" "}
                <button type="button" className="button button--secondary" onClick={copy}>
                  {orderText(locale, "fulfilment.copy")}
                </button>
              </>
            )}
            <span role="status">{copied ? ` ${orderText(locale, "fulfilment.copied")}` : ""}</span>
          </dd>
        </div>
        {view.dispatchedAt && (
          <div>
            <dt>{orderText(locale, "fulfilment.dispatchedAt")}</dt>
            <dd>
              <time dateTime={view.dispatchedAt}>{formatTaipeiDateTime(locale, view.dispatchedAt)}</time>
            </dd>
          </div>
        )}
      </dl>
      <p>
        <a href={view.trackingUrl} target="_blank" rel="noopener noreferrer">
          {orderText(locale, "fulfilment.trackingLink")}
          <span style={visuallyHidden}>{orderText(locale, "fulfilment.newWindow")}</span>
        </a>
      </p>
      <p className="order-muted">{orderText(locale, "fulfilment.trackingHow")}</p>
    </>
  );
}

function NotReceived({ locale, orderNumber, view }: { locale: Locale; orderNumber: string; view: FulfilmentView }) {
  const { canReport, reportedAt } = view.notReceived;
  if (!canReport && !reportedAt) return null;
  return (
    <section aria-labelledby="order-not-received-title">
      <h3 id="order-not-received-title">{orderText(locale, "fulfilment.notReceivedTitle")}</h3>
      {reportedAt ? (
        <>
          <p role="status"><strong>{orderText(locale, "fulfilment.notReceivedReported")}</strong></p>
          <p className="order-muted">
            {orderText(locale, "fulfilment.notReceivedReportedAt", { at: formatTaipeiDateTime(locale, reportedAt) })}
          </p>
        </>
      ) : (
        <>
          <p>{orderText(locale, "fulfilment.notReceivedBody")}</p>
          <Form method="post" action={`/reissue/orders/${orderNumber}`} reloadDocument>
            <input type="hidden" name="intent" value={NOT_RECEIVED_INTENT} />
            <button type="submit" className="button button--secondary">
              {orderText(locale, "fulfilment.notReceivedButton")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
