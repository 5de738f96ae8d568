// The post office lives outside the machine: tests answer its tracking adapter here by delegating to the same
// demo post office `npm start` runs (scripts/demo-partners/post-office.ts), so tests and the demo agree.
import { http } from "msw";
import type { DemoPostOffice } from "../../scripts/demo-partners/post-office";

export const POST_OFFICE_URL = "https://post-tracking.test";

/** Every request under `baseUrl` goes to the demo post office; add with server.use(...). */
export function postOfficeHandlers(postOffice: DemoPostOffice, baseUrl: string = POST_OFFICE_URL) {
  const root = baseUrl.replace(/\/+$/, "");
  return [http.all(`${root}/*`, ({ request }) => postOffice.handle(request))];
}
