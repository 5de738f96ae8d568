import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { BankFileForm } from "~/components/staff/reconciliation/bank-file-form";
import { BankFileImportsTable } from "~/components/staff/reconciliation/bank-file-imports-table";
import { BankFileResult, type BankFileResultView } from "~/components/staff/reconciliation/bank-file-result";
import { reconciliationText, useReconciliationText } from "~/components/staff/reconciliation/reconciliation-text";
import { staffText } from "~/components/staff/staff-text";
import { BankImportsAwaiting } from "~/components/staff/reconciliation/bank-imports-awaiting";
import { listBankImportsAwaitingApproval } from "~/finance/bank-file-review.server";
import { BANK_FILE_MAX_BYTES, importUploadedBankFile, listBankImports, readBankFileUpload } from "~/finance/bank-file-upload.server";
import { uuidSchema } from "~/finance/reconciliation/schema";
import { assertSameOrigin } from "~/lib/http.server";
import { localeFromMatches, t } from "~/lib/i18n";
import { FINANCE_ROLES } from "~/staff/areas";
import { formFailure } from "~/staff/form-failure.server";
import { requireStaff } from "~/staff/staff-session.server";
import styles from "~/styles/reconciliation.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  const cursor = uuidSchema.safeParse(new URL(request.url).searchParams.get("cursor"));
  const [imports, awaiting] = await Promise.all([
    listBankImports({ staff, cursor: cursor.success ? cursor.data : undefined }),
    listBankImportsAwaitingApproval({ staff }),
  ]);
  return { imports, awaiting, paged: cursor.success, maxBytes: BANK_FILE_MAX_BYTES };
}

const UPLOAD_ERRORS = {
  BANK_FILE_TOO_LARGE: "file", BANK_FILE_MISSING: "file", BANK_FILE_NOT_MULTIPART: "file",
  BANK_SIGNATURE_TOO_LARGE: "signature", BANK_FILE_KEY_NOT_CONFIGURED: "signature",
};

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  try {
    assertSameOrigin(request);
    const upload = await readBankFileUpload(request);
    const result = await importUploadedBankFile({ staff, upload });
    // A refused file is the form's answer, not an error page: every problem line is listed (nothing was applied).
    return data({ result }, { status: result.ok ? 200 : 422 });
  } catch (error) {
    return formFailure(error, { fields: UPLOAD_ERRORS });
  }
}

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return [
    { title: `${reconciliationText(locale, "bankFiles.title")} — ${staffText(locale, "layout.area")} — ${t(locale, "site.name")}` },
    { name: "robots", content: "noindex, nofollow" },
  ];
};

export default function BankFiles() {
  const { imports, awaiting, paged, maxBytes } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ({ result?: BankFileResultView } & StaffFormFailure) | undefined;
  const { say } = useReconciliationText();
  return (
    <section className="page bank-files">
      <h1>{say("bankFiles.title")}</h1>
      <p>{say("bankFiles.intro")}</p>
      <BankFileForm maxBytes={maxBytes} failure={answer?.result ? undefined : answer} />
      {answer?.result ? <BankFileResult result={answer.result} /> : null}
      <BankImportsAwaiting imports={awaiting} />
      <BankFileImportsTable imports={imports.items} nextCursor={imports.nextCursor} paged={paged} />
    </section>
  );
}
