// The simulator's two HTML pages: /popupForm (the HiCOS popup a web page opens) and / (the reader: which card is
// inserted, for demos and support training).
import { HICOS_RET_CODE } from "../../app/auth/hicos.client";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * Like HiCOS's popupForm: say getTbs to the opener, take one request (a JSON string, or an object), run it
 * against this service same-origin (GetUserCert / CheckEnvir / pkcs11info → GET /pkcs11info, everything else →
 * POST /sign as tbsPackage=<json>, which answers unknown funcs itself), post the answer text back, close.
 */
export function popupFormPage(): string {
  return `<!doctype html>
<html lang="zh-Hant-TW">
<head><meta charset="utf-8"><title>HiCOS 模擬器 / HiCOS simulator</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em;color:#333}</style></head>
<body>
<p id="status">處理中，請稍候… / Working…</p>
<script>
(function () {
  var opener = window.opener;
  var status = document.getElementById("status");
  if (!opener) { status.textContent = "此視窗應由網頁開啟。 / Open this window from a web page."; return; }
  var handled = false;
  function reply(text) {
    opener.postMessage(text, "*");
    window.close();
  }
  window.addEventListener("message", function (event) {
    if (event.source !== opener || handled) return;
    handled = true;
    var text = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
    var request = null;
    try { request = JSON.parse(text); } catch (e) { request = null; }
    var func = request && typeof request === "object" ? request.func : null;
    var xhr = new XMLHttpRequest();
    xhr.onload = function () { reply(xhr.responseText); };
    xhr.onerror = function () {
      reply(JSON.stringify({ func: func === "MakeSignature" ? "sign" : "pkcs11info", ret_code: ${HICOS_RET_CODE.serviceFailure}, last_error: 0 }));
    };
    if (func === "GetUserCert" || func === "CheckEnvir" || func === "pkcs11info") {
      var withCert = func === "GetUserCert" || (func === "pkcs11info" && String(request.withcert) !== "false");
      xhr.open("GET", "/pkcs11info" + (withCert ? "?withcert=true" : ""));
      xhr.send();
    } else {
      xhr.open("POST", "/sign");
      xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
      xhr.send("tbsPackage=" + text);
    }
  });
  opener.postMessage(JSON.stringify({ func: "getTbs" }), "*");
})();
</script>
</body>
</html>`;
}

export interface ReaderCard {
  cardNumber: string;
  holder: string;
  notAfter: Date;
  inserted: boolean;
  locked: boolean;
  wrongPinAttempts: number;
}

function cardRow(card: ReaderCard): string {
  const status = card.locked
    ? "已鎖卡 / locked"
    : card.wrongPinAttempts > 0
      ? `PIN 錯誤 ${card.wrongPinAttempts} 次 / ${card.wrongPinAttempts} wrong PIN(s)`
      : "正常 / OK";
  const action = card.inserted
    ? `<button data-action="remove">取出 / Remove</button>`
    : `<button data-action="insert" data-card="${escapeHtml(card.cardNumber)}">插入 / Insert</button>`;
  const unlock = card.locked || card.wrongPinAttempts > 0
    ? ` <button data-action="unlock" data-card="${escapeHtml(card.cardNumber)}">解鎖 PIN（模擬用戶代碼解鎖）/ Unlock PIN</button>`
    : "";
  return `<tr${card.inserted ? ' class="inserted"' : ""}>
  <td>${card.inserted ? "▶ " : ""}<code>${escapeHtml(card.cardNumber)}</code></td>
  <td>${escapeHtml(card.holder)}</td>
  <td>${card.notAfter.toISOString().slice(0, 10)}</td>
  <td>${status}</td>
  <td>${action}${unlock}</td>
</tr>`;
}

export function readerPage({ cards, cardsDir }: { cards: ReaderCard[]; cardsDir: string }): string {
  const inserted = cards.find((card) => card.inserted);
  const rows = cards.length
    ? cards.map(cardRow).join("\n")
    : `<tr><td colspan="5">找不到卡片檔案 / No card files found in <code>${escapeHtml(cardsDir)}</code></td></tr>`;
  return `<!doctype html>
<html lang="zh-Hant-TW">
<head><meta charset="utf-8"><title>自然人憑證讀卡機模擬器 / Card reader simulator</title>
<style>
body{font:15px system-ui,sans-serif;margin:2em;max-width:60em;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.5em;text-align:left}
tr.inserted{background:#eef6ff}.note{color:#666;font-size:13px}
</style></head>
<body>
<h1>自然人憑證讀卡機模擬器 <small>/ Citizen-certificate card reader simulator</small></h1>
<p>目前插入的卡片 / Inserted card: <strong>${inserted ? escapeHtml(inserted.cardNumber) : "無 / none"}</strong></p>
<table>
<thead><tr><th>卡號 / Card number</th><th>持卡人 / Holder</th><th>簽章憑證到期 / Signing cert expires</th><th>狀態 / Status</th><th></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="note">僅供開發與訓練使用，模擬 HiCOS 卡片管理工具（http://localhost:61161）。PIN 碼連續錯誤 3 次會鎖卡，重新啟動也不會解鎖。<br>
For development and training only: stands in for the HiCOS card tool. Three wrong PINs lock a card, and restarting does not unlock it.<br>
卡片檔案目錄 / Cards dir: <code>${escapeHtml(cardsDir)}</code></p>
<script>
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-action]");
  if (!button) return;
  var body = button.dataset.card ? JSON.stringify({ cardNumber: button.dataset.card }) : "{}";
  fetch("/control/" + button.dataset.action, { method: "POST", headers: { "Content-Type": "application/json" }, body: body })
    .then(function () { location.reload(); });
});
</script>
</body>
</html>`;
}
