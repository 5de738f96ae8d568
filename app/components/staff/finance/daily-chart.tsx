// Daily takings as a server-rendered SVG: a stacked bar a day (card below, ATM above), NT$ on the y axis. The SVG is
// one image to assistive technology (role=img, <title> and <desc> with the sums); the table beside it has the numbers.
import type { DailyTotal } from "~/finance/reports.server";
import { formatNtd, useFinanceText } from "./finance-text";

const WIDTH = 760;
const HEIGHT = 300;
const PLOT = { left: 84, right: 12, top: 16, bottom: 36 };

/** A round axis step (1, 2 or 5 × 10ⁿ) giving about four gridlines up to `max`. */
export function axisStep(max: number): number {
  const rough = Math.max(max, 1) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  return ([1, 2, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
}

export function DailyChart({ days, from, to }: { days: DailyTotal[]; from: string; to: string }) {
  const { say } = useFinanceText();
  const totals = days.map((day) => day.card.paidNtd + day.atm.paidNtd);
  const max = Math.max(0, ...totals);
  const step = axisStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const slot = plotWidth / Math.max(days.length, 1);
  const barWidth = Math.max(slot * 0.7, 1);
  const y = (amount: number) => PLOT.top + plotHeight - (amount / top) * plotHeight;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const labelEvery = Math.ceil(days.length / 10);
  const sum = totals.reduce((a, b) => a + b, 0);

  return (
    <figure className="finance-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="finance-chart-title finance-chart-desc" focusable="false">
        <title id="finance-chart-title">{say("chart.heading", { from, to })}</title>
        <desc id="finance-chart-desc">
          {say("chart.desc", { days: days.length, total: formatNtd(sum), max: formatNtd(max) })}
        </desc>
        <g className="finance-chart__axis">
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={PLOT.left} x2={WIDTH - PLOT.right} y1={y(tick)} y2={y(tick)} className="finance-chart__grid" />
              <text x={PLOT.left - 8} y={y(tick)} dy="0.35em" textAnchor="end">{formatNtd(tick)}</text>
            </g>
          ))}
          {days.map((day, i) =>
            i % labelEvery === 0 ? (
              <text key={day.day} x={PLOT.left + slot * i + slot / 2} y={HEIGHT - PLOT.bottom + 18} textAnchor="middle">
                {day.day.slice(5)}
              </text>
            ) : null,
          )}
        </g>
        {days.map((day, i) => {
          const x = PLOT.left + slot * i + (slot - barWidth) / 2;
          const cardTop = y(day.card.paidNtd);
          const atmTop = y(day.card.paidNtd + day.atm.paidNtd);
          return (
            <g key={day.day}>
              <title>{say("chart.bar", { day: day.day, card: formatNtd(day.card.paidNtd), atm: formatNtd(day.atm.paidNtd) })}</title>
              <rect className="finance-chart__card" x={x} width={barWidth} y={cardTop} height={y(0) - cardTop} />
              <rect className="finance-chart__atm" x={x} width={barWidth} y={atmTop} height={cardTop - atmTop} />
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="finance-legend" aria-hidden="true">
          <li><span className="finance-legend__swatch finance-chart__card" />{say("method.CARD")}</li>
          <li><span className="finance-legend__swatch finance-chart__atm" />{say("method.ATM")}</li>
        </ul>
      </figcaption>
    </figure>
  );
}
