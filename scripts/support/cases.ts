// `npm run support:cases [-- --kind MAIL_RETURNED]`: support's open cases, oldest first, until the back office
// (issue 7) lists them on a page. Reasons hold codes and ids only, so this prints no personal data.
import { parseArgs } from "node:util";
import { listOpenSupportCases } from "../../app/fulfilment/support-cases.server";
import { formatOrderNumber } from "../../app/orders/order-number";
import { formatTaipeiDateTime } from "../../app/components/order-text";
import { exitWhenDone } from "../exit-when-done";

const KINDS = ["PRINT_REJECTED", "PRINT_VENDOR_ERROR", "MAIL_RETURNED", "DELIVERED_NOT_RECEIVED"] as const;

async function main(): Promise<number> {
  let values: { kind?: string; limit?: string };
  try {
    ({ values } = parseArgs({ options: { kind: { type: "string" }, limit: { type: "string" } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: npm run support:cases -- [--kind ${KINDS.join("|")}] [--limit 100]`);
    return 1;
  }
  const kind = values.kind as (typeof KINDS)[number] | undefined;
  if (kind && !KINDS.includes(kind)) {
    console.error(`--kind 須為 / must be one of ${KINDS.join(", ")}`);
    return 1;
  }
  const take = Number(values.limit ?? 100);
  const cases = await listOpenSupportCases({ kind, take: Number.isInteger(take) && take > 0 ? take : 100 });
  if (cases.length === 0) {
    console.log("沒有待處理的客服案件 / No open support cases");
    return 0;
  }
  console.log(`待處理客服案件 ${cases.length} 件（由舊到新）/ ${cases.length} open support case(s), oldest first`);
  for (const c of cases) {
    const order = c.order ? ` 訂單/order ${formatOrderNumber(c.order.orderNumber)} (${c.order.status})` : "";
    const batch = c.batch ? ` 批次/batch ${c.batch.batchNumber}` : "";
    console.log(`- ${formatTaipeiDateTime("zh-TW", c.openedAt.toISOString())} ${c.kind}${order}${batch}\n    ${c.reason}  [${c.id}]`);
  }
  return 0;
}

exitWhenDone(main);
