// The error page a Remix form POST lands on when an action throws: a 503 from a CA that cannot answer must say,
// in both languages (the visitor's first), that nothing was done and to try again later (issue 13, fail closed).
import { describe, expect, it } from "vitest";
import { CertificateStatusUnavailable } from "~/auth/certificate-status.server";
import { errorResponse } from "~/lib/http.server";
import { renderPage } from "../../test/support/render-page";
import { ErrorPage, errorPageTitle } from "./error-page";

/** What Remix hands the ErrorBoundary for a thrown JSON Response: its status and its parsed body. */
async function routeError(response: Response) {
  return { status: response.status, statusText: response.statusText, internal: false, data: await response.json() };
}

describe("ErrorPage", () => {
  it("shows a 503's own message, zh-TW first, under a 'cannot complete this now' title", async () => {
    const error = await routeError(errorResponse(new CertificateStatusUnavailable()));
    const { text } = await renderPage("zh-TW", <ErrorPage error={error} />);
    const zh = text.indexOf("暫時無法向憑證管理中心確認憑證狀態，請稍後再試。");
    const en = text.indexOf("The certificate authority cannot confirm the card's status right now. Please try again later.");
    expect(zh).toBeGreaterThan(-1);
    expect(en).toBeGreaterThan(zh);
    expect(text).toContain("503");
    expect(errorPageTitle(error)).toBe("暫時無法完成您的要求 / We cannot complete this right now");
  });

  it("keeps the generic text when an error carries no message of ours", async () => {
    const { text } = await renderPage("en", <ErrorPage error={{ status: 503, statusText: "", internal: false, data: "upstream" }} />);
    expect(text).toContain("Nothing was done. Please try again later.");
    expect(text).not.toContain("upstream");
  });
});
