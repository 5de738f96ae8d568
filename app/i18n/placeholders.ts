// `{name}` placeholders in message texts, shared by every catalogue's lookup (app/lib/i18n.ts, eligibility).

/** The `{name}` placeholders of a message text, read from its literal type. */
export type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The rest-argument of a lookup: none for a text without placeholders, else exactly its placeholders' values. */
export type VarsFor<S extends string> = [Placeholders<S>] extends [never] ? [] : [vars: Record<Placeholders<S>, string | number>];

/** Fills in the placeholders; one without a value is left as written, so a gap shows instead of "undefined". */
export function fillPlaceholders(message: string, vars?: Record<string, string | number>): string {
  if (!vars) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}
