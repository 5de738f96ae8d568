import { describe, expect, it } from "vitest";
import { AppError } from "~/lib/errors.server";
import { prisma } from "~/lib/db.server";
import { formatOrderNumber } from "~/orders/order-number";
import { createPaidOrderFixture, createPrintBatchFixture } from "../../test/factories/fulfilment";
import { renderLabelSheet } from "./label-sheet";
import { loadBatchLabels, recordLabelsPrinted } from "./labels.server";

describe("loadBatchLabels", () => {
  it("answers the batch's labels in position order with name, postcode, address and order number", async () => {
    const taipei = await createPaidOrderFixture({ holderName: "陳美玲", application: { postcode: "10048", address: "臺北市中正區重慶南路一段 122 號" } });
    const penghu = await createPaidOrderFixture({ holderName: "許志明", application: { postcode: "880", address: "澎湖縣馬公市治平路 32 號" } });
    const kaohsiung = await createPaidOrderFixture({ holderName: "林怡君", application: { postcode: "802", address: "高雄市苓雅區四維三路 2 號" } });
    const batch = await createPrintBatchFixture({ orderIds: [penghu.order.id, kaohsiung.order.id, taipei.order.id] });

    const result = await loadBatchLabels(batch.batchNumber.toLowerCase());
    expect(result).toEqual({
      batchId: batch.id,
      batchNumber: batch.batchNumber,
      skipped: 0,
      labels: [
        { position: 1, postcode: "880", address: "澎湖縣馬公市治平路 32 號", name: "許志明", orderNumber: penghu.order.orderNumber },
        { position: 2, postcode: "802", address: "高雄市苓雅區四維三路 2 號", name: "林怡君", orderNumber: kaohsiung.order.orderNumber },
        { position: 3, postcode: "10048", address: "臺北市中正區重慶南路一段 122 號", name: "陳美玲", orderNumber: taipei.order.orderNumber },
      ],
    });

    // The outlying-island label renders like any other, and the sheet carries nothing beyond the four fields.
    const html = renderLabelSheet({ batchNumber: result.batchNumber, printedAt: new Date(), labels: result.labels });
    expect(html).toContain('<div class="postcode">880</div>\n<div class="address">澎湖縣馬公市治平路 32 號</div>\n<div class="name">許志明<span class="honorific"> 收</span></div>');
    expect(html).toContain(`訂單 ${formatOrderNumber(penghu.order.orderNumber)} · ${batch.batchNumber} · #1`);
    // (The labels' exact shape above already rules out other fields; these are the ones that sit next door.)
    for (const { holder, order } of [taipei, penghu, kaohsiung]) {
      const application = await prisma.reissueApplication.findUniqueOrThrow({ where: { orderId: order.id } });
      expect(html).not.toContain(application.mobile);
      expect(html).not.toContain(application.email);
      expect(html).not.toContain(holder.id);
      expect(html).not.toContain(order.virtualAccount);
    }
    expect(html).not.toMatch(/[A-Z][1289]\d{8}/); // no national ID shape anywhere
  });

  it("leaves out a card the vendor rejected, and counts it", async () => {
    const kept = await createPaidOrderFixture({ holderName: "張家豪" });
    const rejected = await createPaidOrderFixture({ holderName: "李淑芬", application: { postcode: "951", address: "臺東縣綠島鄉南寮村 1 號" } });
    const alsoKept = await createPaidOrderFixture({ holderName: "黃建宏" });
    const batch = await createPrintBatchFixture({ orderIds: [kept.order.id, rejected.order.id, alsoKept.order.id] });
    await prisma.printItem.update({
      where: { batchId_position: { batchId: batch.id, position: 2 } },
      data: { status: "REJECTED", rejectionCode: "CHIP_FAILURE", rejectionReason: "chip did not personalise" },
    });

    const result = await loadBatchLabels(batch.batchNumber);
    expect(result.skipped).toBe(1);
    expect(result.labels.map((l) => [l.position, l.name])).toEqual([[1, "張家豪"], [3, "黃建宏"]]);
    const html = renderLabelSheet({ batchNumber: batch.batchNumber, printedAt: new Date(), labels: result.labels });
    expect(html).not.toContain("李淑芬");
    expect(html).not.toContain("綠島");
  });

  it("answers every item when the whole batch was rejected, with no label", async () => {
    const orders = await Promise.all([createPaidOrderFixture(), createPaidOrderFixture()]);
    const batch = await createPrintBatchFixture({ orderIds: orders.map((o) => o.order.id), itemStatus: "REJECTED" });
    expect(await loadBatchLabels(batch.batchNumber)).toMatchObject({ labels: [], skipped: 2 });
  });

  it("refuses an unknown batch with a bilingual AppError", async () => {
    const error = await loadBatchLabels("P1151123-9999").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: "print_batch.not_found",
      status: 404,
      userMessage: { "zh-TW": "查無製卡批次 P1151123-9999", en: "No print batch P1151123-9999" },
    });
  });
});

describe("recordLabelsPrinted", () => {
  it("records who printed which batch, how many labels and the format — and no personal data", async () => {
    const order = await createPaidOrderFixture({ holderName: "吳宗憲" });
    const batch = await createPrintBatchFixture({ orderIds: [order.order.id] });
    await recordLabelsPrinted({ batchId: batch.id, batchNumber: batch.batchNumber, operator: "mailroom:amy", labels: 1, format: "pdf" });

    const events = await prisma.auditEvent.findMany({ where: { subjectType: "print_batch", subjectId: batch.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorType: "STAFF",
      actorId: "mailroom:amy",
      action: "printing.labels_printed",
      details: { batchNumber: batch.batchNumber, labels: 1, format: "pdf" },
    });
    expect(JSON.stringify(events[0], (_, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(/吳宗憲|重慶南路|0912345678|@/);
  });
});
