import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { switchLocale } from "~/lib/locale-switch.server";

// GET /lang?lang=en&redirectTo=/path — the header's switch link; POST does the same for a form.
export async function loader({ request }: LoaderFunctionArgs) {
  return switchLocale({ request, params: new URL(request.url).searchParams });
}

export async function action({ request }: ActionFunctionArgs) {
  return switchLocale({ request, params: await request.formData() });
}
