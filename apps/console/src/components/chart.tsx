import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

// Only what the console draws, so the bundle carries no other chart type.
Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

/** Colours with at least 3:1 contrast against the white plot area. */
export const PALETTE = ['#1f5fa8', '#b3541e', '#2e7d32', '#7b3fa0', '#a11d4a', '#00695c', '#5d4037'];

export type Series = { readonly label: string; readonly values: readonly (number | null)[] };

type ChartProps = {
  readonly id: string;
  readonly title: string;
  readonly kind: 'bar' | 'line';
  readonly labels: readonly string[];
  readonly series: readonly Series[];
  readonly horizontal?: boolean;
  /** The same numbers as a table: what a screen reader (and the browser test) reads. */
  readonly table: ComponentChildren;
};

/**
 * A Chart.js canvas with its numbers beside it: the canvas is an image named
 * by its title, the table under "Numbers" carries every value shown.
 */
export function ChartFigure({ id, title, kind, labels, series, horizontal = false, table }: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current === null) return undefined;
    const config: ChartConfiguration<'bar' | 'line', (number | null)[], string> = {
      type: kind,
      data: {
        labels: [...labels],
        datasets: series.map((s, index) => ({
          label: s.label,
          data: [...s.values],
          backgroundColor: PALETTE[index % PALETTE.length],
          borderColor: PALETTE[index % PALETTE.length],
          spanGaps: true,
        })),
      },
      options: {
        // Drawn at once: no animation to wait for, and nothing moving for people who prefer it still.
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        // Every category named (a channel or a stage is not to be guessed); values from zero.
        scales: horizontal
          ? { x: { beginAtZero: true }, y: { ticks: { autoSkip: false } } }
          : { y: { beginAtZero: true } },
        plugins: { legend: { display: series.length > 1 } },
      },
    };
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [kind, horizontal, JSON.stringify(labels), JSON.stringify(series)]);

  return (
    <figure class="chart" id={id} data-testid={id}>
      <figcaption>{title}</figcaption>
      <div class="chart-canvas">
        <canvas ref={canvas} role="img" aria-label={`${title}: chart; the numbers are in the table below`} />
      </div>
      <details>
        <summary>Numbers</summary>
        {table}
      </details>
    </figure>
  );
}
