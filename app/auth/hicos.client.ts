// The page's side of HiCOS (中華電信 HiPKI LocalSignServer, http://localhost:61161): the only way a web page can
// reach the citizen-certificate card. The service sends no CORS headers, so a fetch from our origin cannot read
// its answers; instead we open its /popupForm, which says {"func":"getTbs"}, gets our request by postMessage, runs
// it same-origin against the service and posts the result back before closing itself.
// Browser-only: every use of `window` is inside a function, so importing this for its constants is safe anywhere.
// Protocol notes (what is confirmed, what is guessed): docs/card-simulator.md.

export type HicosSignatureType = "PKCS1" | "PKCS7";

export interface HicosSignResult {
  signature: string;
  certb64: string;
  cardSN: string;
  signatureType: HicosSignatureType;
}

export interface HicosCardInfo {
  cardNumber: string;
  certs: Array<{ usage: string; serial: string; subjectDN: string; certb64: string; notAfter: string }>;
}

/** A HiCOS ret_code, or what went wrong around it on the page's side. */
export type HicosErrorCode = number | "popup-blocked" | "timeout" | "closed" | "not-running";

/** ret_code values, as HiCOS's own sample pages name them (MajorErrorReason). */
export const HICOS_RET_CODE = {
  ok: 0,
  noTbs: 0x76000003, // 未輸入待簽訊息
  noCard: 0x76000006, // 未插入IC卡
  requestTooLarge: 0x7600000a, // 檔案過大
  malformedJson: 0x7600000b, // JSON格式錯誤
  badParameter: 0x7600000c, // 參數錯誤
  serviceFailure: 0x7600000d, // 執行檔錯誤或逾時
  unsupportedFunction: 0x7600000e, // 不支援的方法
  forbiddenDomain: 0x7600000f, // 禁止存取的網域
  untrustedSite: 0x76000031, // 在未授權的網站執行元件
  noPin: 0x76000998, // 未輸入PIN碼
  userCancelled: 0x76000999, // 使用者已取消動作
  noReader: 0x76100003, // 無可用讀卡機
  cardLoginFailed: 0x76100006, // IC卡登入失敗 — the PIN check; last_error says why
  badSignatureType: 0x76300002, // 簽章型別錯誤
  base64Decode: 0x76600002, // Base64解碼錯誤
} as const;

/** last_error values that qualify cardLoginFailed (PKCS#11 CKR_* codes, and HiCOS's own attempts-left codes). */
export const HICOS_LAST_ERROR = {
  pinIncorrect: 0xa0, // CKR_PIN_INCORRECT
  pinLength: 0xa2, // CKR_PIN_LEN_RANGE
  pinLocked: 0xa4, // CKR_PIN_LOCKED
  pinIncorrectOneLeft: 0x80000001, // HiCOS sends these as signed 32-bit: -2147483647
  pinIncorrectTwoLeft: 0x80000002, // -2147483646
} as const;

export type HicosFailure =
  | "wrong-pin" | "pin-format" | "card-locked" | "no-card" | "no-reader" | "not-running" | "popup-blocked"
  | "closed" | "timeout" | "site-not-trusted" | "cancelled" | "service-error";

/** What a code means for the holder; wrong PIN and locked card share a ret_code and differ in last_error. */
export function hicosFailure(code: HicosErrorCode, lastError?: number): HicosFailure {
  if (typeof code === "string") return code;
  const last = lastError === undefined ? undefined : lastError >>> 0;
  switch (code >>> 0) {
    case HICOS_RET_CODE.noCard: return "no-card";
    case HICOS_RET_CODE.noReader: return "no-reader";
    case HICOS_RET_CODE.noPin: return "pin-format";
    case HICOS_RET_CODE.userCancelled: return "cancelled";
    case HICOS_RET_CODE.untrustedSite:
    case HICOS_RET_CODE.forbiddenDomain: return "site-not-trusted";
    case HICOS_RET_CODE.cardLoginFailed:
      if (last === HICOS_LAST_ERROR.pinLocked) return "card-locked";
      if (last === HICOS_LAST_ERROR.pinLength) return "pin-format";
      return "wrong-pin";
    default: return "service-error";
  }
}

/** PIN attempts left before the card locks, when HiCOS says (it does after a wrong PIN). */
export function pinAttemptsLeft(lastError?: number): number | undefined {
  if (lastError === undefined) return undefined;
  if (lastError >>> 0 === HICOS_LAST_ERROR.pinIncorrectTwoLeft) return 2;
  if (lastError >>> 0 === HICOS_LAST_ERROR.pinIncorrectOneLeft) return 1;
  return undefined;
}

export class HicosError extends Error {
  readonly code: HicosErrorCode;
  readonly lastError: number | undefined;

  constructor(code: HicosErrorCode, lastError?: number) {
    super(`HiCOS: ${hicosFailure(code, lastError)} (${typeof code === "number" ? hex(code) : code}${lastError ? `, last_error ${hex(lastError)}` : ""})`);
    this.name = "HicosError";
    this.code = code;
    this.lastError = lastError;
  }

  get failure(): HicosFailure {
    return hicosFailure(this.code, this.lastError);
  }

  get attemptsLeft(): number | undefined {
    return pinAttemptsLeft(this.lastError);
  }
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).toUpperCase()}`;
}

const MESSAGES: Record<HicosFailure, { "zh-TW": string; en: string }> = {
  "wrong-pin": {
    "zh-TW": "PIN 碼錯誤。連續輸入錯誤 3 次卡片會鎖住，請確認後再試。",
    en: "Wrong PIN. Three wrong PINs in a row lock the card, so check it before trying again.",
  },
  "pin-format": { "zh-TW": "請輸入 6 到 8 碼的 PIN 碼。", en: "Enter your card's PIN (6 to 8 characters)." },
  "card-locked": {
    "zh-TW": "卡片已鎖住（PIN 碼連續輸入錯誤 3 次）。請至內政部憑證管理中心網站，以「用戶代碼」辦理 PIN 碼解鎖後再試。",
    en: "The card is locked after three wrong PINs. Unlock the PIN on the MOICA website with your user code (用戶代碼), then try again.",
  },
  "no-card": {
    "zh-TW": "讀卡機裡沒有偵測到自然人憑證，請插入卡片後再試。",
    en: "No citizen certificate card was found in the reader. Insert the card and try again.",
  },
  "no-reader": {
    "zh-TW": "找不到讀卡機，請確認讀卡機已接上電腦後再試。",
    en: "No card reader was found. Check that the reader is plugged in, then try again.",
  },
  "not-running": {
    "zh-TW": "無法連線到 HiCOS 卡片管理工具。請至內政部憑證管理中心網站「儲存庫／檔案下載」安裝並啟動 HiCOS，再試一次。",
    en: "Could not reach the HiCOS card tool. Install and start HiCOS (MOICA website → Repository → Downloads), then try again.",
  },
  "popup-blocked": {
    "zh-TW": "瀏覽器擋下了讀卡視窗。請允許本網站開啟彈出式視窗後再試一次。",
    en: "The browser blocked the card-reading window. Allow pop-ups for this site and try again.",
  },
  closed: { "zh-TW": "讀卡視窗在完成前被關閉了，請再試一次。", en: "The card-reading window was closed before it finished. Please try again." },
  timeout: {
    "zh-TW": "HiCOS 沒有在時限內回應。請確認卡片已插好、HiCOS 正在執行，再試一次。",
    en: "HiCOS did not answer in time. Check that the card is inserted and HiCOS is running, then try again.",
  },
  "site-not-trusted": {
    "zh-TW": "HiCOS 尚未信任本網站。請依 HiCOS 的提示將本網站加入信任網站後再試。",
    en: "HiCOS does not trust this site yet. Add it to HiCOS's trusted sites when prompted, then try again.",
  },
  cancelled: { "zh-TW": "已取消讀卡。", en: "Card reading was cancelled." },
  "service-error": {
    "zh-TW": "讀卡時發生錯誤。請重新插入卡片再試；若仍失敗，請來電客服 0800-080-117。",
    en: "Something went wrong while reading the card. Re-insert the card and try again; if it still fails, call 0800-080-117.",
  },
};

/** A message the page can show as is. Pass last_error when you have it: it tells wrong PIN from locked card. */
export function hicosErrorMessage(code: HicosErrorCode, locale: "zh-TW" | "en", lastError?: number): string {
  const failure = hicosFailure(code, lastError);
  const left = pinAttemptsLeft(lastError);
  if (failure === "wrong-pin" && left !== undefined) {
    return locale === "zh-TW"
      ? `PIN 碼錯誤，還可以再試 ${left} 次；連續輸入錯誤 3 次卡片會鎖住。`
      : `Wrong PIN. ${left} attempt${left === 1 ? "" : "s"} left before the card locks.`;
  }
  const message = MESSAGES[failure][locale];
  return failure === "service-error" && typeof code === "number" ? `${message} (${hex(code)})` : message;
}

// HiCOS hands the request on to its service as a form field (tbsPackage=<json>) that it URL-decodes, which is
// why its samples send "+" as "%2B". Escaping %, + and & keeps every character of the tbs and PIN intact; the
// result is still JSON, since those characters only occur inside string values.
function escapeForHicos(json: string): string {
  return json.replace(/%/g, "%25").replace(/\+/g, "%2B").replace(/&/g, "%26");
}

function parseReply(data: unknown): Record<string, unknown> | undefined {
  let value = data;
  if (typeof data === "string") {
    try {
      value = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

interface Exchange {
  baseUrl: string;
  request: Record<string, unknown>;
  timeoutMs: number;
  readyTimeoutMs: number;
}

const CLOSED_GRACE_MS = 500;

/** One popup, one request, one reply. Call it from a click handler, or the browser blocks the popup. */
function exchangeThroughPopup({ baseUrl, request, timeoutMs, readyTimeoutMs }: Exchange): Promise<Record<string, unknown>> {
  const origin = new URL(baseUrl).origin;
  // A fresh window name each time: reusing one could hand us the previous popup while it is still closing.
  const name = `hicos-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const popup = window.open(`${baseUrl.replace(/\/+$/, "")}/popupForm`, name, "width=360,height=240,left=100,top=80");
  if (!popup || popup.closed) return Promise.reject(new HicosError("popup-blocked"));

  return new Promise((resolve, reject) => {
    let ready = false;
    let settled = false;
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    // The popup closes itself right after posting its reply; give that message time to arrive first.
    const closedPoll = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(closedPoll);
      timers.push(setTimeout(() => finish({ error: new HicosError("closed") }), CLOSED_GRACE_MS));
    }, 250);

    const finish = (outcome: { reply: Record<string, unknown> } | { error: HicosError }) => {
      if (settled) return;
      settled = true;
      window.removeEventListener("message", onMessage);
      timers.forEach(clearTimeout);
      clearInterval(closedPoll);
      if ("error" in outcome) {
        if (!popup.closed) popup.close();
        reject(outcome.error);
      } else {
        resolve(outcome.reply);
      }
    };

    const onMessage = (event: MessageEvent) => {
      // Only the service's own page may talk to us: extensions and other frames post messages too.
      if (event.origin !== origin || event.source !== popup) return;
      const message = parseReply(event.data);
      if (!message) return;
      if (message.func === "getTbs") {
        ready = true;
        popup.postMessage(escapeForHicos(JSON.stringify(request)), origin);
      } else if ("ret_code" in message) {
        finish({ reply: message });
      }
    };

    window.addEventListener("message", onMessage);
    // A popup that never says getTbs is showing the browser's "can't connect" page: HiCOS is not running.
    timers.push(setTimeout(() => ready || finish({ error: new HicosError("not-running") }), readyTimeoutMs));
    timers.push(setTimeout(() => finish({ error: new HicosError("timeout") }), timeoutMs));
  });
}

function failureOf(reply: Record<string, unknown>): HicosError | undefined {
  const code = reply.ret_code;
  if (typeof code !== "number") return new HicosError(-1);
  if (code === 0) return undefined;
  return new HicosError(code, typeof reply.last_error === "number" ? reply.last_error : undefined);
}

export async function signWithCard(o: {
  baseUrl: string;
  /** Exactly what the card signs. For login: the challenge's `tbs` (site origin and nonce), never the bare nonce. */
  tbs: string;
  pin: string;
  signatureType?: HicosSignatureType;
  /** HiCOS's own request field (it ignores it); the login's nonce is inside `tbs`. */
  nonce?: string;
  timeoutMs?: number;
  readyTimeoutMs?: number;
}): Promise<HicosSignResult> {
  const signatureType = o.signatureType ?? "PKCS1";
  const reply = await exchangeThroughPopup({
    baseUrl: o.baseUrl,
    request: {
      func: "MakeSignature",
      tbs: o.tbs,
      tbsEncoding: "NONE",
      hashAlgorithm: "SHA256",
      signatureType,
      pin: o.pin,
      withCardSN: "true",
      nonce: o.nonce ?? "",
    },
    timeoutMs: o.timeoutMs ?? 60_000,
    readyTimeoutMs: o.readyTimeoutMs ?? 8_000,
  });
  const failure = failureOf(reply);
  if (failure) throw failure;
  if (typeof reply.signature !== "string" || typeof reply.certb64 !== "string") throw new HicosError(-1);
  return {
    signature: reply.signature,
    certb64: reply.certb64,
    cardSN: typeof reply.cardSN === "string" ? reply.cardSN : "",
    signatureType,
  };
}

/** The inserted card's number and certificates (HiCOS's GetUserCert, i.e. /pkcs11info?withcert=true). */
export async function readCardInfo(o: { baseUrl: string; timeoutMs?: number; readyTimeoutMs?: number }): Promise<HicosCardInfo> {
  const reply = await exchangeThroughPopup({
    baseUrl: o.baseUrl,
    request: { func: "GetUserCert" },
    timeoutMs: o.timeoutMs ?? 30_000,
    readyTimeoutMs: o.readyTimeoutMs ?? 8_000,
  });
  const failure = failureOf(reply);
  if (failure) throw failure;
  const slots = Array.isArray(reply.slots) ? (reply.slots as Array<Record<string, unknown>>) : [];
  // A reader without a card has no token object (HiCOS's samples also skip the string "unknown token").
  const token = slots.map((slot) => slot?.token).find((t): t is Record<string, unknown> => !!t && typeof t === "object");
  if (!token || typeof token.serialNumber !== "string") throw new HicosError(HICOS_RET_CODE.noCard);
  const certs = Array.isArray(token.certs) ? (token.certs as Array<Record<string, unknown>>) : [];
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  return {
    cardNumber: token.serialNumber.trim(),
    certs: certs.map((cert) => ({
      usage: text(cert.usage),
      serial: text(cert.sn),
      subjectDN: text(cert.subjectDN),
      certb64: text(cert.certb64),
      notAfter: text(cert.notAfter),
    })),
  };
}
