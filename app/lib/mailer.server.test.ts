import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpCapture } from "../../test/support/smtp-capture";

let capture: Awaited<ReturnType<typeof startSmtpCapture>>;
beforeAll(async () => {
  capture = await startSmtpCapture();
  process.env.SMTP_URL = capture.url;
});
afterAll(async () => {
  const { closeMailer } = await import("./mailer.server");
  closeMailer();
  await capture.stop();
});

describe("sendMail", () => {
  it("delivers a zh-TW message through SMTP with the configured sender", async () => {
    const { sendMail } = await import("./mailer.server");
    await sendMail({ to: "citizen@example.tw", subject: "線上申請續卡已繳費", text: "您的訂單已完成繳費。" });
    expect(capture.received).toHaveLength(1);
    const [mail] = capture.received;
    expect(mail!.to).toEqual(["citizen@example.tw"]);
    expect(mail!.from).toBe("no-reply@moica.nat.gov.tw");
    // RFC 2047 encodes the subject; decode it to compare.
    const subjectLine = mail!.raw.match(/^Subject: (.*(?:\r\n\s.*)*)/m)![1]!;
    const decoded = subjectLine
      .split(/\s+/)
      .map((word) => word.replace(/^=\?UTF-8\?B\?(.*)\?=$/i, (_, b64: string) => Buffer.from(b64, "base64").toString("utf8")))
      .join("");
    expect(decoded).toBe("線上申請續卡已繳費");
  });
});
