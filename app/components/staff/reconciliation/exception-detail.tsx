import { formatOrderNumber } from "~/orders/order-number";
import { formatNtd, formatTaipeiDateTime, useReconciliationText } from "./reconciliation-text";

export interface ExceptionDetailView {
  kind: string;
  method: string;
  amountNtd: number;
  paidAt: Date;
  orderNumber: string | null;
  providerReference: string | null;
  detail: string;
  detectedAt: Date;
  run: { source: string; day: string } | null;
  resolvedAt: Date | null;
  resolution: string | null;
  resolver: string | null;
  resolutionNote: string | null;
}

export function ExceptionDetail({ view }: { view: ExceptionDetailView }) {
  const { locale, say, loose } = useReconciliationText();
  const when = (at: Date) => formatTaipeiDateTime(locale, at.toISOString());
  const none = say("detail.none");
  const rows: Array<[string, string]> = [
    [say("detail.kind"), loose(`kind.${view.kind}`)],
    [say("detail.method"), loose(`method.${view.method}`)],
    [say("detail.amount"), formatNtd(view.amountNtd)],
    [say("detail.paidAt"), when(view.paidAt)],
    [say("detail.orderNumber"), view.orderNumber ? formatOrderNumber(view.orderNumber) : none],
    [say("detail.reference"), view.providerReference ?? none],
    [say("detail.detail"), view.detail],
    [say("detail.detectedAt"), when(view.detectedAt)],
    [say("detail.run"), view.run ? `${loose(`source.${view.run.source}`)} ${view.run.day}` : none],
    [say("detail.status"), view.resolvedAt ? say("status.resolved") : say("status.open")],
  ];
  const resolved: Array<[string, string]> = view.resolvedAt
    ? [
        [say("detail.resolution"), loose(`resolution.${view.resolution ?? ""}`)],
        [say("detail.resolvedBy"), view.resolver ?? none],
        [say("detail.resolvedAt"), when(view.resolvedAt)],
        [say("detail.note"), view.resolutionNote ?? none],
      ]
    : [];
  return (
    <>
      <dl className="staff-dl">
        {rows.map(([term, value]) => <div key={term}><dt>{term}</dt><dd>{value}</dd></div>)}
      </dl>
      {resolved.length > 0 ? (
        <dl className="staff-dl exception-resolved">
          {resolved.map(([term, value]) => <div key={term}><dt>{term}</dt><dd>{value}</dd></div>)}
        </dl>
      ) : null}
    </>
  );
}
