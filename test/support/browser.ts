import { chromium, type Browser } from "playwright-core";
import { CHROMIUM } from "../../scripts/services/local-services";

/** Debian's Chromium, headless, kept off the network it cannot reach anyway (test/global-setup.ts installs it). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}
