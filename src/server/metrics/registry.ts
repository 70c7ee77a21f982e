/**
 * A small Prometheus registry: counters and histograms with labels, rendered in the text
 * exposition format (version 0.0.4). Each metric keeps at most `maxSeries` label sets; later
 * ones are counted under the label value `_other`, so a caller cannot grow memory without bound
 * by inventing keys.
 */

export const DEFAULT_MAX_SERIES = 1000;
const OVERFLOW = '_other';

interface Metric {
  render(lines: string[]): void;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((name, i) => `${name}="${escapeLabel(values[i] ?? '')}"`);
  if (extra !== '') parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  return String(value);
}

/**
 * Label sets of one metric, bounded. Looked up through one map per label (a trie) rather than a
 * joined string, because every request increments several series: no string is built per call.
 */
interface Series<S> {
  values: string[];
  state: S;
}

interface TrieNode<S> {
  children: Map<string, TrieNode<S>>;
  entry: Series<S> | undefined;
}

class SeriesTable<S> {
  private readonly root: TrieNode<S> = { children: new Map(), entry: undefined };
  private readonly list: Array<Series<S>> = [];

  constructor(
    private readonly labelCount: number,
    private readonly maxSeries: number,
    private readonly create: () => S,
  ) {}

  get(values: readonly string[]): S {
    const found = this.find(values, false);
    if (found !== undefined) return found.state;

    const full = this.list.length >= this.maxSeries;
    const kept = full ? new Array<string>(this.labelCount).fill(OVERFLOW) : [...values];
    return this.find(kept, true)!.state;
  }

  entries(): Array<Series<S>> {
    return [...this.list];
  }

  private find(values: readonly string[], add: boolean): Series<S> | undefined {
    let node = this.root;
    for (let i = 0; i < this.labelCount; i++) {
      const value = values[i] ?? '';
      let child = node.children.get(value);
      if (child === undefined) {
        if (!add) return undefined;
        child = { children: new Map(), entry: undefined };
        node.children.set(value, child);
      }
      node = child;
    }
    if (node.entry === undefined && add) {
      const kept = Array.from({ length: this.labelCount }, (_, i) => values[i] ?? '');
      node.entry = { values: kept, state: this.create() };
      this.list.push(node.entry);
    }
    return node.entry;
  }
}

export class Counter implements Metric {
  private readonly table: SeriesTable<{ value: number }>;

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly string[],
    maxSeries: number,
  ) {
    this.table = new SeriesTable(labelNames.length, maxSeries, () => ({ value: 0 }));
  }

  inc(values: readonly string[] = [], by = 1): void {
    this.table.get(values).value += by;
  }

  value(values: readonly string[] = []): number {
    return this.table.get(values).value;
  }

  render(lines: string[]): void {
    lines.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`);
    for (const { values, state } of this.table.entries()) {
      lines.push(`${this.name}${labelText(this.labelNames, values)} ${formatNumber(state.value)}`);
    }
  }
}

interface HistogramState {
  /** Non-cumulative counts per bucket; the last slot is +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram implements Metric {
  private readonly table: SeriesTable<HistogramState>;

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly buckets: readonly number[],
    maxSeries: number,
  ) {
    this.table = new SeriesTable(labelNames.length, maxSeries, () => ({
      counts: new Array<number>(buckets.length + 1).fill(0),
      sum: 0,
      count: 0,
    }));
  }

  observe(values: readonly string[], value: number): void {
    const state = this.table.get(values);
    let i = 0;
    while (i < this.buckets.length && value > this.buckets[i]!) i++;
    state.counts[i]! += 1;
    state.sum += value;
    state.count += 1;
  }

  count(values: readonly string[] = []): number {
    return this.table.get(values).count;
  }

  render(lines: string[]): void {
    lines.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`);
    for (const { values, state } of this.table.entries()) {
      let cumulative = 0;
      const bounds = [...this.buckets, Number.POSITIVE_INFINITY];
      bounds.forEach((bound, i) => {
        cumulative += state.counts[i]!;
        const labels = labelText(this.labelNames, values, `le="${formatNumber(bound)}"`);
        lines.push(`${this.name}_bucket${labels} ${cumulative}`);
      });
      const labels = labelText(this.labelNames, values);
      lines.push(`${this.name}_sum${labels} ${formatNumber(state.sum)}`);
      lines.push(`${this.name}_count${labels} ${state.count}`);
    }
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  constructor(private readonly maxSeries = DEFAULT_MAX_SERIES) {}

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(name, new Counter(name, help, labelNames, this.maxSeries));
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[],
    buckets: readonly number[],
  ): Histogram {
    return this.add(name, new Histogram(name, help, labelNames, buckets, this.maxSeries));
  }

  /** The text exposition format, metrics in registration order. */
  render(): string {
    const lines: string[] = [];
    for (const metric of this.metrics.values()) metric.render(lines);
    return lines.join('\n') + '\n';
  }

  private add<M extends Metric>(name: string, metric: M): M {
    if (this.metrics.has(name)) throw new Error(`metric ${name} registered twice`);
    this.metrics.set(name, metric);
    return metric;
  }
}
