// The page's charts (Chart.js). Bars are drawn from the contracts' figures;
// every label and tooltip shows the exact figure as text, never the float
// the bar is drawn with.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type Plugin,
} from "chart.js";
import type { DefaultReceipt } from "../../src/generated/DefaultFund.types";
import { amount } from "./format";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
Chart.defaults.font.size = 13;
Chart.defaults.color = "#1f2933";
Chart.defaults.animation = false;

export const LAYER_COLOURS: Record<string, string> = {
  loss: "#52606d",
  close_out_loss: "#52606d",
  unpaid_assessments: "#9aa5b1",
  defaulter_margin: "#2f6fb0",
  defaulter_contribution: "#4c9ad6",
  sitg: "#7b5ea7",
  mutual_fund: "#d9822b",
  assessments: "#e0b400",
  uncovered: "#c23030",
  recovered: "#2e8b57",
};

/** A bar drawn from its exact figure (text) — the float is for the drawing only. */
interface Bar {
  label: string;
  /** [from, to] of a floating bar, in drawing units. */
  span: [number, number];
  /** The contract's figure, shown as written. */
  exact: string;
  colour: string;
}

const toFloat = (s: string): number => Number(BigInt(s.split(".")[0]!));

/** Writes each bar's exact figure at its end. */
const exactLabels: Plugin<"bar"> = {
  id: "exactLabels",
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const meta = chart.getDatasetMeta(0);
    const exact = (chart.data.datasets[0] as unknown as { exact: string[] }).exact;
    const horizontal = chart.options.indexAxis === "y";
    ctx.save();
    ctx.font = `600 12px ${Chart.defaults.font.family}`;
    ctx.fillStyle = "#1f2933";
    meta.data.forEach((el, i) => {
      const text = exact[i];
      if (text === undefined) return;
      const p = el.getProps(["x", "y", "base"], true) as { x: number; y: number; base: number };
      if (horizontal) {
        ctx.textAlign = "left";
        ctx.textBaseline = "middle";
        ctx.fillText(text, Math.max(p.x, p.base) + 6, p.y);
      } else {
        ctx.textAlign = "center";
        ctx.textBaseline = "bottom";
        ctx.fillText(text, p.x, Math.min(p.y, p.base) - 4);
      }
    });
    ctx.restore();
  },
};

function barChart(canvas: HTMLCanvasElement, bars: Bar[], horizontal: boolean, title: string): Chart<"bar"> {
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: bars.map((b) => b.label),
      datasets: [
        {
          label: title,
          data: bars.map((b) => b.span),
          backgroundColor: bars.map((b) => b.colour),
          borderSkipped: false,
          barPercentage: 0.7,
          exact: bars.map((b) => b.exact),
        } as never,
      ],
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      layout: { padding: horizontal ? { right: 150 } : { top: 24 } },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) => `${bars[item.dataIndex]!.exact} (base units)`,
          },
        },
      },
      scales: {
        [horizontal ? "x" : "y"]: {
          beginAtZero: true,
          grace: "8%",
          ticks: { callback: (v) => amount(String(Math.round(Number(v)))) },
        },
        [horizontal ? "y" : "x"]: { grid: { display: false } },
      },
    },
    plugins: [exactLabels],
  });
}

/** Resources by layer, in the order of the waterfall. */
export function resourcesChart(canvas: HTMLCanvasElement, rows: { label: string; value: string; colour: string }[]): Chart<"bar"> {
  return barChart(
    canvas,
    rows.map((r) => ({ label: r.label, span: [0, toFloat(r.value)], exact: amount(r.value), colour: r.colour })),
    true,
    "resources",
  );
}

/** Cover-n requirement against what stands ready to meet it. */
export function coverageChart(canvas: HTMLCanvasElement, rows: { label: string; value: string; colour: string }[]): Chart<"bar"> {
  return resourcesChart(canvas, rows);
}

export const LAYER_NAMES: Record<string, string> = {
  defaulter_margin: "1 Defaulter's margin",
  defaulter_contribution: "2 Defaulter's contribution",
  sitg: "3 Skin in the game",
  mutual_fund: "4 Mutual fund",
  assessments: "5 Assessments",
  uncovered: "6 Uncovered",
};

/**
 * A default's waterfall: the loss (close-out loss, then unpaid assessments
 * joining it), then each layer taking its part of what remains, down to zero.
 * The bars' positions come from the receipt's own layers, in order.
 */
export function waterfallChart(canvas: HTMLCanvasElement, r: DefaultReceipt): Chart<"bar"> {
  const closeOut = toFloat(r.close_out_loss);
  const loss = toFloat(r.loss);
  const bars: Bar[] = [
    { label: "Close-out loss", span: [0, closeOut], exact: amount(r.close_out_loss), colour: LAYER_COLOURS.close_out_loss! },
    { label: "Unpaid assessments", span: [closeOut, loss], exact: amount(r.unpaid_assessments), colour: LAYER_COLOURS.unpaid_assessments! },
    { label: "Loss L", span: [0, loss], exact: amount(r.loss), colour: LAYER_COLOURS.loss! },
  ];
  let top = loss;
  for (const key of Object.keys(LAYER_NAMES) as (keyof DefaultReceipt["layers"])[]) {
    const v = toFloat(r.layers[key]);
    bars.push({ label: LAYER_NAMES[key]!, span: [top - v, top], exact: amount(r.layers[key]), colour: LAYER_COLOURS[key]! });
    top -= v;
  }
  return barChart(canvas, bars, true, `default ${r.id}`);
}
