import { failed, type InputResult } from './results.ts';
import { span, summaryTable, wallLines } from './summary.ts';
import { escapeXml, lineChart, stackedBarChart } from './svg.ts';
import type { Timeline } from './timeline.ts';

export interface ReportMeta {
  title: string;
  /** How the run was started, e.g. `npx tsx sim/cli.ts check`. */
  command: string;
  seed: number;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}
td:first-child,th:first-child{text-align:left}pre{background:#f6f6f6;padding:.5em;overflow:auto}
.fail{color:#b00020;font-weight:bold}.ok{color:#1b5e20}.legend{font-size:12px}
.key{margin-right:1em}.swatch{display:inline-block;width:10px;height:10px;margin-right:4px}
figure{margin:1em 0}figcaption{font-weight:bold;font-size:14px}.wall{color:#666}`;

/**
 * The HTML report of a `check`: self-contained (inline SVG, no script). Apart from the one
 * paragraph of class `wall`, it is a function of the inputs and the seed only.
 */
export function renderReport(results: readonly InputResult[], meta: ReportMeta): string {
  const verdict = results.some(failed)
    ? '<span class="fail">FAIL</span>'
    : '<span class="ok">ok</span>';
  const parts = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(meta.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeXml(meta.title)}: ${verdict}</h1>`,
    `<p>Run with <code>${escapeXml(meta.command)}</code>, seed ${meta.seed}. The backends of ` +
      'each input are driven at the same simulated instants; every answer is compared field by ' +
      'field and every invariant of spec/simulator.md is checked after every step.</p>',
    summaryHtml(results),
    `<p class="wall">${escapeXml(wallLines(results).join('; '))}</p>`,
    ...results.map(inputSection),
    '</body></html>',
  ];
  return parts.join('\n') + '\n';
}

function summaryHtml(results: readonly InputResult[]): string {
  const cells = (line: string): string[] => line.split(' | ').map((cell) => cell.trim());
  const [header, , ...rows] = summaryTable(results).map(cells);
  const head = `<tr>${header!.map((cell) => `<th>${escapeXml(cell)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => cellHtml(cell)).join('')}</tr>`);
  return `<table>${head}${body.join('')}</table>`;
}

function cellHtml(cell: string): string {
  const cls = cell === 'FAIL' ? ' class="fail"' : cell === 'ok' ? ' class="ok"' : '';
  return `<td${cls}>${escapeXml(cell)}</td>`;
}

function inputSection(result: InputResult): string {
  const parts = [`<h2>${escapeXml(result.name)}</h2>`];
  if (result.note !== '') parts.push(`<pre>${escapeXml(result.note)}</pre>`);
  if (result.timeline !== undefined) parts.push(charts(result.timeline));
  if (result.findings.length > 0) parts.push(findingsHtml(result));
  return parts.join('\n');
}

function charts(timeline: Timeline): string {
  const minutes = (offsetMs: number): number => offsetMs / 60_000;
  const usage = lineChart({
    title: 'Usage over time per key (held, % of capacity)',
    xLabel: 'min',
    yLabel: '%',
    yMax: 100,
    series: timeline.keys.map((key, k) => ({
      name: key,
      points: timeline.samples.map((s) => [
        minutes(s.offsetMs),
        s.capacity[k] ? (100 * s.held[k]!) / s.capacity[k]! : 0,
      ] as [number, number]),
    })),
  });
  const answers = stackedBarChart({
    title: 'Reserves per minute',
    xLabel: 'min',
    yLabel: 'reserves',
    stacks: [
      { name: 'allowed', values: timeline.minutes.map((m) => m.allowed) },
      { name: 'denied for capacity', values: timeline.minutes.map((m) => m.denied) },
      { name: 'refused (other reasons)', values: timeline.minutes.map((m) => m.refused) },
    ],
  });
  const debt = lineChart({
    title: 'Debt over time (all keys)',
    xLabel: 'min',
    yLabel: 'tokens',
    series: [{
      name: 'debt',
      points: timeline.samples.map((s): [number, number] => [minutes(s.offsetMs), Number(s.debt)]),
    }],
  });
  const last = timeline.samples.at(-1);
  const caption = last === undefined ? '' : `<p>${timeline.samples.length} samples, every ` +
    `${span(timeline.sampleEveryMs)}, of ${timeline.keys.length} keys.</p>`;
  return usage + answers + debt + caption;
}

/** The command that replays up to this operation, or the input's one replay (a fuzz case). */
function replayFor(result: InputResult, opIndex: number): string | undefined {
  const cut = result.replay.find((command) => command.endsWith(` --until ${opIndex}`));
  return cut ?? result.replay.find((command) => command.includes(' replay '));
}

function findingsHtml(result: InputResult): string {
  const total = result.differences + result.violations;
  const items = result.findings.map((f) => {
    const where = f.target === undefined ? '' : ` on ${f.target}`;
    const command = replayFor(result, f.opIndex);
    const replay = command === undefined ? '' : `<br><code>${escapeXml(command)}</code>`;
    return `<li><b>${f.kind}</b> (${escapeXml(f.rule)})${escapeXml(where)} at operation ` +
      `${f.opIndex}, t=${f.atMs}: ${escapeXml(f.message)}${replay}</li>`;
  });
  const more = total > result.findings.length ? `<p>... and ${total - result.findings.length} ` +
    'more.</p>' : '';
  const replay = result.replay.length === 0 ? '' : '<p>Replay:</p><pre>' +
    escapeXml(result.replay.join('\n')) + '</pre>';
  return `<h3 class="fail">${total} findings</h3><ol>${items.join('')}</ol>${more}${replay}`;
}
