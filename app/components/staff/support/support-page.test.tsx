// The support order page's parts rendered as the page does, from the domain's real view: both languages, every
// control labelled, errors announced on their field with the typed text kept, tables with header cells.
import { describe, expect, it } from "vitest";
import { loadSupportOrderView } from "~/support/order-view.server";
import { createMailedOrderFixture } from "../../../../test/factories/fulfilment";
import { createSentOutboxMail, createStaffActor } from "../../../../test/factories/support";
import { renderPage } from "../../../../test/support/render-page";
import type { StaffFormFailure } from "../form-result";
import { OrderOverview } from "./order-overview";
import { OrderCases, OrderMails, OrderNotes } from "./order-records";
import { SearchResults } from "./search-results";
import { supportBilingual } from "./support-text";

async function pageView() {
  const staff = await createStaffActor(["SUPPORT"]);
  const f = await createMailedOrderFixture({ trackingStatus: "DELIVERED" });
  await createSentOutboxMail(f.order.id, "PAID");
  const { orderId: _id, ...view } = (await loadSupportOrderView({ staff, orderNumber: f.order.orderNumber }))!;
  return { f, view };
}

describe("support order page", () => {
  it("renders the order in zh-TW and English with labelled controls and header cells", async () => {
    const { f, view } = await pageView();
    const element = (
      <>
        <OrderOverview view={view} />
        <OrderMails view={view} />
        <OrderCases view={view} />
        <OrderNotes view={view} />
      </>
    );
    const zh = await renderPage("zh-TW", element);
    expect(zh.text).toContain("處理歷程");
    expect(zh.text).toContain("編入製卡批次");
    expect(zh.text).toContain(f.batch.batchNumber);
    expect(zh.html).toContain('href="https://postserv.post.gov.tw/pstmail/main_mail.html"');
    const en = await renderPage("en", element);
    expect(en.text).toContain("Send an e-mail again");
    expect(en.text).toContain("Record \"delivered but not received\"");
    // Every textarea and select has a label pointing at it.
    for (const [, id] of en.html.matchAll(/<(?:textarea|select)[^>]* id="([^"]+)"/g)) expect(en.html).toContain(`for="${id}"`);
    expect(en.html).toContain('<th scope="col">');
    expect(en.html).not.toContain("applicant@example.tw");
  });

  it("announces a failure on its field and keeps what was typed", async () => {
    const { view } = await pageView();
    const failure: StaffFormFailure = { intent: "add-note", values: { body: "未完成的備註" }, fieldErrors: { body: supportBilingual("error.noteLength") } };
    const { html } = await renderPage("en", <OrderNotes view={view} failure={failure} />);
    expect(html).toMatch(/<p id="note-body-error" class="staff-field__error" role="alert">A note is 1–2000 characters.<\/p>/);
    expect(html).toMatch(/<textarea[^>]*aria-invalid="true"[^>]*aria-describedby="note-body-hint note-body-error"/);
    expect(html).toContain("未完成的備註</textarea>");
  });

  it("lists several matches with links to each order", async () => {
    const { f } = await pageView();
    const { html, text } = await renderPage("zh-TW", (
      <SearchResults results={{ by: "national_id", matches: [
        { orderNumber: f.order.orderNumber, status: "MAILED", holderName: "王小明", nationalIdMasked: "A12345****", createdAt: new Date().toISOString(), paidAt: null },
      ] }} />
    ));
    expect(text).toContain("查到 1 筆訂單");
    expect(text).toContain("A12345****");
    expect(html).toContain(`href="/staff/support/${f.order.orderNumber}"`);
    expect(html).toContain('<th scope="row">');
  });
});
