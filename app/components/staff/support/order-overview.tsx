import { formatAmount } from "~/lib/i18n";
import { formatOrderNumber } from "~/orders/order-number";
import type { SupportOrderView } from "~/support/order-view.server";
import { staffTextLoose } from "../staff-text";
import { formatTaipeiDateTime, supportTextLoose, useSupportText } from "./support-text";

/** The loader's view as the page receives it. */
export type SupportOrderPageView = Omit<SupportOrderView, "orderId">;

type Row = [term: string, value: string, flag?: boolean];

function Rows({ rows }: { rows: Row[] }) {
  return (
    <dl className="staff-dl">
      {rows.map(([term, value, flag]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd className={flag ? "staff-flag" : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The order, the holder (masked), and its way: timeline, payments, printing, the letter, activation. */
export function OrderOverview({ view }: { view: SupportOrderPageView }) {
  const { locale, say } = useSupportText();
  const when = (iso: string | null) => (iso ? formatTaipeiDateTime(locale, iso) : say("order.none"));
  const contact = view.contact;
  return (
    <>
      <section className="support-section" aria-labelledby="summary-title">
        <h2 id="summary-title">{say("order.summary")}</h2>
        <p className="staff-muted">{say("order.maskNote")}</p>
        <Rows rows={[
          [say("order.orderNumber"), formatOrderNumber(view.orderNumber)],
          [say("order.status"), staffTextLoose(locale, `orderStatus.${view.status}`)],
          [say("order.amount"), formatAmount(locale, view.amountNtd)],
          [say("order.createdAt"), when(view.createdAt)],
          [say("order.deadline"), when(view.paymentDeadline)],
          [say("order.paidAt"), when(view.paidAt)],
          [say("order.holderName"), view.holder.name],
          [say("order.nationalId"), view.holder.nationalIdMasked],
          ...(contact
            ? ([
                [say("order.mobile"), contact.mobile],
                [say("order.email"), contact.email],
                [say("order.address"), say("order.addressValue", { postcode: contact.postcode, address: contact.address }) + (contact.outlyingIsland ? say("order.outlying") : "")],
              ] satisfies Row[])
            : ([[say("order.address"), say("order.noApplication")]] satisfies Row[])),
        ]} />
      </section>

      <section className="support-section" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{say("timeline.title")}</h2>
        <div className="staff-table-wrap">
          <table className="staff-table">
            <thead>
              <tr>
                <th scope="col">{say("timeline.at")}</th>
                <th scope="col">{say("timeline.event")}</th>
                <th scope="col">{say("timeline.detail")}</th>
              </tr>
            </thead>
            <tbody>
              {view.timeline.map((entry, index) => (
                <tr key={`${entry.at}-${index}`}>
                  <td><time dateTime={entry.at}>{formatTaipeiDateTime(locale, entry.at)}</time></td>
                  <th scope="row">{supportTextLoose(locale, `timeline.${entry.kind}`)}</th>
                  <td>{entry.detail ?? say("order.none")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div className="support-grid">
        <section className="support-section" aria-labelledby="payments-title">
          <h2 id="payments-title">{say("payments.title")}</h2>
          {view.payments.length === 0 ? <p>{say("payments.none")}</p> : (
            <div className="staff-table-wrap">
              <table className="staff-table">
                <thead>
                  <tr>
                    <th scope="col">{say("payments.method")}</th>
                    <th scope="col">{say("payments.amount")}</th>
                    <th scope="col">{say("payments.status")}</th>
                    <th scope="col">{say("payments.paidAt")}</th>
                    <th scope="col">{say("payments.reference")}</th>
                  </tr>
                </thead>
                <tbody>
                  {view.payments.map((p, index) => (
                    <tr key={index}>
                      <th scope="row">{supportTextLoose(locale, `method.${p.method}`)}</th>
                      <td>{formatAmount(locale, p.amountNtd)}</td>
                      <td>
                        {supportTextLoose(locale, `paymentStatus.${p.status}`)}
                        {p.outcome && p.outcome !== "APPLIED" ? <span className="staff-flag"> {supportTextLoose(locale, `outcome.${p.outcome}`)}</span> : null}
                      </td>
                      <td>{when(p.paidAt)}</td>
                      <td><code>{p.reference ?? say("order.none")}</code></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className="support-section" aria-labelledby="printing-title">
          <h2 id="printing-title">{say("printing.title")}</h2>
          {!view.printing ? <p>{say("printing.none")}</p> : (
            <Rows rows={[
              [say("printing.batch"), view.printing.batchNumber],
              [say("printing.batchStatus"), view.printing.batchStatus],
              [say("printing.itemStatus"), view.printing.itemStatus, view.printing.itemStatus === "REJECTED"],
              [say("printing.rejection"), view.printing.rejectionCode ?? say("order.none"), view.printing.rejectionCode !== null],
              [say("printing.newCard"), view.printing.newCardNumber ?? say("order.none")],
            ]} />
          )}
        </section>

        <section className="support-section" aria-labelledby="mail-title">
          <h2 id="mail-title">{say("mail.title")}</h2>
          {!view.mail ? <p>{say("mail.none")}</p> : (
            <>
              <Rows rows={[
                [say("mail.number"), view.mail.mailNumberFormatted],
                [say("mail.dispatchedAt"), when(view.mail.dispatchedAt)],
                [say("mail.estimate"), say("mail.estimateValue", { from: view.mail.estimatedFrom, to: view.mail.estimatedTo })],
                [say("mail.status"), supportTextLoose(locale, `tracking.${view.mail.status}`), view.mail.status === "RETURNED"],
              ]} />
              <p><a href={view.mail.trackingUrl} target="_blank" rel="noopener noreferrer">{say("mail.link")}</a></p>
              {view.mail.events.length > 0 ? (
                <table className="staff-table">
                  <caption>{say("mail.events")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{say("timeline.at")}</th>
                      <th scope="col">{say("mail.status")}</th>
                      <th scope="col">{say("mail.office")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.mail.events.map((event, index) => (
                      <tr key={index}>
                        <td><time dateTime={event.occurredAt}>{formatTaipeiDateTime(locale, event.occurredAt)}</time></td>
                        <th scope="row">{supportTextLoose(locale, `tracking.${event.status}`)}</th>
                        <td>{event.office ?? say("order.none")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </>
          )}
        </section>

        <section className="support-section" aria-labelledby="activation-title">
          <h2 id="activation-title">{say("activation.title")}</h2>
          <Rows rows={[
            [say("activation.wrongTries"), say("activation.wrongTriesValue", { count: view.activation.wrongTries, max: view.activation.maxTries }), view.activation.lockedAt !== null],
            [say("activation.lockedAt"), when(view.activation.lockedAt), view.activation.lockedAt !== null],
            [say("activation.activatedAt"), when(view.activation.activatedAt)],
            [say("activation.codeResetAt"), when(view.activation.userCodeResetAt)],
          ]} />
        </section>
      </div>
    </>
  );
}
