// The client's own decisions: which failure a code means, what the holder reads, and the popup outcomes a real
// browser test cannot provoke cheaply (blocked, closed early, silent). The full exchange runs in Chromium in
// scripts/card-simulator/popup-chromium.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  HICOS_LAST_ERROR, HICOS_RET_CODE, HicosError, hicosErrorMessage, hicosFailure, pinAttemptsLeft, readCardInfo, signWithCard,
} from "./hicos.client";

describe("hicosFailure and hicosErrorMessage", () => {
  it("tells wrong PIN from locked card by last_error, accepting HiCOS's signed or unsigned form", () => {
    expect(hicosFailure(HICOS_RET_CODE.cardLoginFailed, HICOS_LAST_ERROR.pinIncorrectOneLeft | 0)).toBe("wrong-pin");
    expect(pinAttemptsLeft(HICOS_LAST_ERROR.pinIncorrectOneLeft | 0)).toBe(1);
    expect(pinAttemptsLeft(HICOS_LAST_ERROR.pinIncorrectTwoLeft)).toBe(2);
    expect(hicosFailure(HICOS_RET_CODE.cardLoginFailed, HICOS_LAST_ERROR.pinLocked)).toBe("card-locked");
    expect(hicosFailure(HICOS_RET_CODE.cardLoginFailed, HICOS_LAST_ERROR.pinLength)).toBe("pin-format");
    expect(hicosFailure(HICOS_RET_CODE.cardLoginFailed)).toBe("wrong-pin");
    expect(hicosFailure(HICOS_RET_CODE.noCard)).toBe("no-card");
    expect(hicosFailure(HICOS_RET_CODE.untrustedSite)).toBe("site-not-trusted");
    expect(hicosFailure(0x76300004)).toBe("service-error");
    expect(hicosFailure("popup-blocked")).toBe("popup-blocked");
  });

  it("writes what the holder should do, in both languages", () => {
    const twoLeft = HICOS_LAST_ERROR.pinIncorrectTwoLeft | 0;
    expect(hicosErrorMessage(HICOS_RET_CODE.cardLoginFailed, "zh-TW", twoLeft)).toBe("PIN 碼錯誤，還可以再試 2 次；連續輸入錯誤 3 次卡片會鎖住。");
    expect(hicosErrorMessage(HICOS_RET_CODE.cardLoginFailed, "en", HICOS_LAST_ERROR.pinIncorrectOneLeft)).toBe("Wrong PIN. 1 attempt left before the card locks.");
    expect(hicosErrorMessage(HICOS_RET_CODE.cardLoginFailed, "zh-TW", HICOS_LAST_ERROR.pinLocked)).toContain("用戶代碼");
    expect(hicosErrorMessage(HICOS_RET_CODE.cardLoginFailed, "en", HICOS_LAST_ERROR.pinLocked)).toContain("user code");
    expect(hicosErrorMessage("not-running", "zh-TW")).toContain("HiCOS");
    expect(hicosErrorMessage("popup-blocked", "en")).toContain("Allow pop-ups");
    expect(hicosErrorMessage(0x76300004, "en")).toContain("(0x76300004)");
    for (const code of [HICOS_RET_CODE.noCard, HICOS_RET_CODE.noReader, "timeout", "closed"] as const) {
      expect(hicosErrorMessage(code, "zh-TW")).not.toBe(hicosErrorMessage(code, "en"));
    }
  });
});

/** Just enough of a browser window for the popup exchange: open() hands back a popup we control. */
class FakeWindow extends EventTarget {
  popup: { closed: boolean; close(): void; postMessage: ReturnType<typeof vi.fn> } | null = null;
  opened: string[] = [];
  open(url: string) {
    this.opened.push(url);
    return this.popup;
  }
  /** A message as if from `source` at `origin`. */
  deliver(data: unknown, origin: string, source: unknown) {
    const event = new Event("message") as MessageEvent;
    Object.assign(event, { data, origin, source });
    this.dispatchEvent(event);
  }
}

describe("the popup exchange", () => {
  let fake: FakeWindow;
  const popup = () => fake.popup!;
  beforeEach(() => {
    vi.useFakeTimers();
    fake = new FakeWindow();
    fake.popup = { closed: false, close: vi.fn(() => void (fake.popup!.closed = true)), postMessage: vi.fn() };
    // why: these tests run in Node, which has no window; the module only uses open() and message events.
    vi.stubGlobal("window", fake);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const base = { baseUrl: "http://localhost:61161/", tbs: "a+b&c%", pin: "123456" };

  it("answers getTbs with the request, escaped as HiCOS's form post needs, and resolves with the reply", async () => {
    const result = signWithCard(base);
    expect(fake.opened).toEqual(["http://localhost:61161/popupForm"]);
    fake.deliver('{"func":"getTbs"}', "http://localhost:61161", popup());
    const [sent, targetOrigin] = popup().postMessage.mock.calls[0]!;
    expect(targetOrigin).toBe("http://localhost:61161");
    expect(decodeURIComponent(sent)).toBe(JSON.stringify({
      func: "MakeSignature", tbs: "a+b&c%", tbsEncoding: "NONE", hashAlgorithm: "SHA256", signatureType: "PKCS1",
      pin: "123456", withCardSN: "true", nonce: "",
    }));
    fake.deliver({ func: "sign", ret_code: 0, last_error: 0, signature: "c2ln", certb64: "Y2VydA==", cardSN: "TP1" }, "http://evil.example", popup());
    fake.deliver({ func: "sign", ret_code: 0, last_error: 0, signature: "c2ln", certb64: "Y2VydA==", cardSN: "TP1" }, "http://localhost:61161", popup());
    await expect(result).resolves.toEqual({ signature: "c2ln", certb64: "Y2VydA==", cardSN: "TP1", signatureType: "PKCS1" });
  });

  it("rejects with the ret_code and last_error HiCOS reported", async () => {
    const result = readCardInfo({ baseUrl: base.baseUrl });
    fake.deliver('{"func":"getTbs"}', "http://localhost:61161", popup());
    fake.deliver(JSON.stringify({ func: "pkcs11info", ret_code: HICOS_RET_CODE.noReader, last_error: 0 }), "http://localhost:61161", popup());
    await expect(result).rejects.toMatchObject({ code: HICOS_RET_CODE.noReader, failure: "no-reader" });
  });

  it("reports a blocked popup", async () => {
    fake.popup = null;
    await expect(signWithCard(base)).rejects.toMatchObject({ code: "popup-blocked" });
  });

  it("reports a popup closed before it answered", async () => {
    const result = signWithCard(base).catch((error: HicosError) => error);
    fake.deliver('{"func":"getTbs"}', "http://localhost:61161", popup());
    popup().closed = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await result).toMatchObject({ code: "closed" });
  });

  it("reports HiCOS not running when the popup never says getTbs, and a timeout when it never answers", async () => {
    const silent = signWithCard({ ...base, readyTimeoutMs: 2_000 }).catch((error: HicosError) => error);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await silent).toMatchObject({ code: "not-running" });
    expect(popup().close).toHaveBeenCalled();

    popup().closed = false;
    const slow = signWithCard({ ...base, timeoutMs: 5_000 }).catch((error: HicosError) => error);
    fake.deliver('{"func":"getTbs"}', "http://localhost:61161", popup());
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await slow).toMatchObject({ code: "timeout" });
  });
});
