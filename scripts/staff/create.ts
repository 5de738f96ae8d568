// `npm run staff:create -- --username chen.support --name "客服 陳小姐" --role support [--role registrar]`:
// creates a staff account — the first admin (`--role admin`), who then manages the others at /staff/admin. The
// password is read from stdin when piped, or asked twice without echo on a terminal — never from the command line,
// where it would sit in the shell history and the process list. At first sign-in the member replaces that password
// with their own (issue 13: whoever typed it here must not keep the account, the first admin included) and sets up
// an authenticator app (TOTP). `--print-code <username>` (development only) prints a demo account's current code.
import { parseArgs } from "node:util";
import { AppError } from "../../app/lib/errors.server";
import { exitWhenDone } from "../exit-when-done";
import { STAFF_ROLES } from "../../app/staff/areas";
import { createStaffAccount } from "../../app/staff/staff-accounts.server";
import type { StaffRole } from "../../app/generated/prisma/client";
import { currentTotpCode } from "./totp-code";

const USAGE = `用法 / usage: npm run staff:create -- --username <帳號> --name <顯示名稱> --role <角色> [--role <角色>]

  --username  3–64 個小寫英文字母、數字、點、連字號或底線 / lower-case letters, digits, . - _
  --name      顯示名稱 / display name (shown in the back office and in audit history)
  --role      ${STAFF_ROLES.map((r) => r.toLowerCase()).join(" | ")}（可重複 / repeatable）
  --help      顯示本說明 / show this help
  --print-code <帳號>  僅限開發環境：印出示範帳號目前的驗證碼 / development only: print a demo account's current code

密碼至少 12 個字元：在終端機上會詢問兩次（不顯示）；或由標準輸入傳入第一行。
The password (at least 12 characters) is asked twice without echo on a terminal, or read from the first line of stdin:
  printf '%s\\n' "$PASSWORD" | npm run -s staff:create -- --username chen.support --name "客服 陳小姐" --role support
The new account's id is printed on stdout. At first sign-in (/staff/login) the member chooses a new password of their
own, then sets up an authenticator app (TOTP, e.g. Google Authenticator):
首次登入時須先改設自己的密碼，再以手機驗證器 App 完成兩步驟驗證設定。`;

class UsageError extends Error {}

function parseOptions(): { username: string; name: string; roles: StaffRole[] } | "help" | { printCodeFor: string } {
  let values: { username?: string; name?: string; role?: string[]; help?: boolean; "print-code"?: string };
  try {
    ({ values } = parseArgs({
      options: {
        username: { type: "string" },
        name: { type: "string" },
        role: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
        "print-code": { type: "string" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  if (values["print-code"] !== undefined) return { printCodeFor: values["print-code"] };
  if (!values.username) throw new UsageError("缺少 --username / --username is required");
  if (!values.name) throw new UsageError("缺少 --name / --name is required");
  if (!values.role?.length) throw new UsageError("至少需要一個 --role / give at least one --role");
  const roles = values.role.map((role) => role.trim().toUpperCase());
  const unknown = roles.filter((role) => !(STAFF_ROLES as string[]).includes(role));
  if (unknown.length) throw new UsageError(`不明的角色 / unknown role: ${unknown.join(", ").toLowerCase()}`);
  return { username: values.username, name: values.name, roles: roles as StaffRole[] };
}

async function readPipedPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const [first = ""] = Buffer.concat(chunks).toString("utf8").split(/\r?\n/);
  return first;
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let value = "";
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (text: string) => {
      for (const char of text) {
        if (char === "\r" || char === "\n") return done();
        if (char === "\u0003" || char === "\u0004") return done(new UsageError("已取消 / cancelled"));
        if (char === "\u007f" || char === "\b") value = [...value].slice(0, -1).join("");
        else if (char >= " ") value += char;
      }
    };
    stdin.on("data", onData);
  });
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readPipedPassword();
  const first = await askHidden("密碼 / Password: ");
  const second = await askHidden("再次輸入密碼 / Password again: ");
  if (first !== second) throw new UsageError("兩次輸入的密碼不一致 / the two passwords differ");
  return first;
}

async function printCode(username: string): Promise<number> {
  if (process.env.NODE_ENV === "production") {
    console.error("--print-code 僅限開發環境 / --print-code is for development only");
    return 1;
  }
  try {
    console.log(await currentTotpCode(username));
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 1;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  if ("printCodeFor" in options) return printCode(options.printCodeFor);
  try {
    const password = await readPassword();
    const { id } = await createStaffAccount({ username: options.username, displayName: options.name, password, roles: options.roles });
    console.error(`已建立後台帳號 / staff account created: ${options.username.trim().toLowerCase()} (${options.roles.join(", ").toLowerCase()})`);
    console.error("首次登入時須先改設自己的密碼，再設定手機驗證器 App（TOTP）/ at first sign-in the member chooses their own password, then sets up an authenticator app (TOTP)");
    console.log(id);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 1;
    }
    if (error instanceof AppError) {
      console.error(`${error.userMessage["zh-TW"]} / ${error.userMessage.en}`);
      return 1;
    }
    throw error;
  }
}

exitWhenDone(main);
