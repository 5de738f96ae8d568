// Structured JSON logs. Personal data and secrets never go in: log ids and codes, not names, ID numbers,
// addresses, e-mail, phone numbers, user codes or URLs with query strings. The redact list is a safety net.
import { pino, type Logger } from "pino";
import { env } from "./env.server";

const REDACT = [
  "password", "*.password", "userCode", "*.userCode", "nationalId", "*.nationalId", "email", "*.email",
  "mobile", "*.mobile", "address", "*.address", "authorization", "*.authorization", "cookie", "*.cookie",
  "req.headers.cookie", "req.headers.authorization",
];

let root: Logger | undefined;

export function logger(): Logger {
  root ??= pino({
    level: env().LOG_LEVEL,
    base: { service: "moica-reissue", pid: process.pid },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return root;
}
