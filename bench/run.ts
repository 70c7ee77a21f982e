/**
 * `npm run bench [-- <filter>]`: runs every registered bench (or those whose name contains the
 * filter) one after another and prints a table of operations per second.
 *
 * To add benches, write bench/<name>.ts that calls registerBenches(...) and import it below.
 */
import { BENCHES, formatTable, type Row } from './harness.ts';
import './memory.ts';
import './cluster.ts';
import './tigerbeetle.ts';

async function main(): Promise<void> {
  const filter = process.argv[2];
  const selected = BENCHES.filter((bench) => filter === undefined || bench.name.includes(filter));
  if (selected.length === 0) throw new Error(`no bench matches "${filter}"`);

  const rows: Row[] = [];
  for (const bench of selected) {
    rows.push({ name: bench.name, unit: bench.unit, measurement: await bench.run() });
  }
  process.stdout.write(`${formatTable(rows)}\n(node ${process.version}, one process)\n`);
}

await main();
