// Every staff page's <title> and robots tag (a child route's meta replaces its parent's, so each page sets both).
import type { MetaDescriptor } from "@remix-run/node";
import type { StaffMessageKey } from "~/i18n/staff.zh-TW";
import { localeFromMatches, t } from "~/lib/i18n";
import { staffText } from "./staff-text";

type TitleKey = { [K in StaffMessageKey]: K extends `${string}.title` ? K : never }[StaffMessageKey];

export function staffMeta(matches: ReadonlyArray<{ id: string; data?: unknown }>, title: TitleKey): MetaDescriptor[] {
  const locale = localeFromMatches(matches);
  return [
    { title: `${staffText(locale, title)} — ${staffText(locale, "layout.area")} — ${t(locale, "site.name")}` },
    { name: "robots", content: "noindex, nofollow" },
  ];
}
