import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

export interface BenchResult {
  name: string;
  title: string;
  figures: Array<{ label: string; value: string }>;
  notes: string[];
}

/** Writes `docs/benchmarks/<name>.md` (for people) and `.json` (for comparing runs). */
export function writeReport(result: BenchResult): string {
  const dir = resolve(__dirname, '../../../../docs/benchmarks');
  mkdirSync(dir, { recursive: true });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const when = new Date().toISOString();
  const md = [
    `# ${result.title}`,
    '',
    `Measured ${when} on ${machine} by \`npm run bench -- ${result.name}\`.`,
    '',
    '| measure | value |',
    '|---|---|',
    ...result.figures.map((figure) => `| ${figure.label} | ${figure.value} |`),
    '',
    ...result.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  const file = join(dir, `${result.name}.md`);
  writeFileSync(file, md);
  writeFileSync(join(dir, `${result.name}.json`), JSON.stringify({ ...result, when, machine }, null, 2));
  return file;
}

/** Samples this process's resident memory until stopped; returns the peak in MiB. */
export function sampleMemory(intervalMs = 100): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), intervalMs);
  return () => {
    clearInterval(timer);
    return Math.round(peak / 2 ** 20);
  };
}

/** The middle value (the upper one of an even count). */
export function median(values: number[]): number {
  return percentile(values, 0.5);
}

/** The value below which the fraction `p` of the values lie (nearest rank, no interpolation). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}
