/**
 * Small inline SVG charts for the HTML report: no script, no external file, and numbers written
 * with a fixed precision so that the same run draws the same bytes.
 */

const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
  '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939',
];

const WIDTH = 720;
const HEIGHT = 220;
const MARGIN = { left: 56, right: 12, top: 12, bottom: 28 };

export interface Series {
  name: string;
  /** [x, y] pairs, x increasing. */
  points: Array<[number, number]>;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Upper end of the y axis; default: the largest y. */
  yMax?: number;
}

export function lineChart(chart: LineChart): string {
  const xs = chart.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = chart.series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(1, ...xs);
  const yMax = chart.yMax ?? Math.max(1, ...ys);
  const scale = scales(xMax, yMax);

  const lines = chart.series.map((series, i) => {
    const path = series.points.map(([x, y]) => `${fixed(scale.x(x))},${fixed(scale.y(y))}`);
    return `<polyline fill="none" stroke="${color(i)}" stroke-width="1.5" ` +
      `points="${path.join(' ')}"><title>${escapeXml(series.name)}</title></polyline>`;
  });
  return frame(chart.title, chart.xLabel, chart.yLabel, xMax, yMax, lines.join('')) +
    legend(chart.series.map((s) => s.name));
}

export interface BarChart {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Stacked from the first; every stack has one value per bar. */
  stacks: Array<{ name: string; values: number[] }>;
}

export function stackedBarChart(chart: BarChart): string {
  const bars = chart.stacks[0]?.values.length ?? 0;
  const totals = Array.from({ length: bars }, (_, b) =>
    chart.stacks.reduce((sum, stack) => sum + (stack.values[b] ?? 0), 0),
  );
  const yMax = Math.max(1, ...totals);
  const scale = scales(Math.max(1, bars), yMax);
  const barWidth = Math.max(1, scale.x(1) - scale.x(0) - 1);

  const rects: string[] = [];
  for (let b = 0; b < bars; b++) {
    let base = 0;
    chart.stacks.forEach((stack, i) => {
      const value = stack.values[b] ?? 0;
      if (value === 0) return;
      const top = scale.y(base + value);
      const height = scale.y(base) - top;
      rects.push(`<rect x="${fixed(scale.x(b))}" y="${fixed(top)}" width="${fixed(barWidth)}" ` +
        `height="${fixed(height)}" fill="${color(i)}"><title>${escapeXml(stack.name)} ` +
        `${chart.xLabel} ${b}: ${value}</title></rect>`);
      base += value;
    });
  }
  return frame(chart.title, chart.xLabel, chart.yLabel, bars, yMax, rects.join('')) +
    legend(chart.stacks.map((s) => s.name));
}

interface Scales {
  x: (v: number) => number;
  y: (v: number) => number;
}

function scales(xMax: number, yMax: number): Scales {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  return {
    x: (v) => MARGIN.left + (v / xMax) * plotWidth,
    y: (v) => MARGIN.top + plotHeight - (v / yMax) * plotHeight,
  };
}

function frame(
  title: string,
  xLabel: string,
  yLabel: string,
  xMax: number,
  yMax: number,
  body: string,
): string {
  const bottom = HEIGHT - MARGIN.bottom;
  const right = WIDTH - MARGIN.right;
  return `<figure><figcaption>${escapeXml(title)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
    `width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(title)}">` +
    `<line x1="${MARGIN.left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#444"/>` +
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${bottom}" ` +
    'stroke="#444"/>' +
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top + 10}" text-anchor="end" font-size="10">` +
    `${axisNumber(yMax)}</text>` +
    `<text x="${MARGIN.left - 4}" y="${bottom}" text-anchor="end" font-size="10">0</text>` +
    `<text x="${right}" y="${HEIGHT - 8}" text-anchor="end" font-size="10">` +
    `${axisNumber(xMax)} ${escapeXml(xLabel)}</text>` +
    `<text x="4" y="${MARGIN.top + 24}" font-size="10">${escapeXml(yLabel)}</text>` +
    body + '</svg></figure>';
}

function legend(names: string[]): string {
  const items = names.map((name, i) =>
    `<span class="key"><span class="swatch" style="background:${color(i)}"></span>` +
    `${escapeXml(name)}</span>`,
  );
  return `<p class="legend">${items.join(' ')}</p>`;
}

function color(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

function fixed(value: number): string {
  return value.toFixed(1);
}

function axisNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
