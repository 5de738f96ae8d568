// The card-printing vendor lives outside the machine: tests answer its API with the demo vendor's core, the same one
// `npm start` serves over HTTP (scripts/demo-partners/vendor.ts). Add per test: server.use(...vendorHandlers(vendor, url)).
import { http } from "msw";
import type { DemoVendor } from "../../scripts/demo-partners/vendor";

/** Every method and path under `baseUrl`, handed to the demo vendor as it arrived (signature header and raw body). */
export function vendorHandlers(vendor: DemoVendor, baseUrl: string) {
  return [http.all(`${baseUrl.replace(/\/+$/, "")}/*`, ({ request }) => vendor.handle(request))];
}
