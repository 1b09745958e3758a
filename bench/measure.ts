import { performance } from 'node:perf_hooks';

export interface Measurement {
  name: string;
  /** Operations per second: the median of the rounds, so one slow round (GC, the other core) does not skew it. */
  opsPerSecond: number;
  rounds: number[];
}

/**
 * Runs `op` `perRound` times per round, after one warm-up round, and keeps each round's rate.
 * `op` receives a running index so that every call can use a fresh key.
 */
export async function measure(name: string, op: (i: number) => unknown, options: { rounds?: number; perRound: number }): Promise<Measurement> {
  const rounds = options.rounds ?? 5;
  let i = 0;
  const rates: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    const started = performance.now();
    for (let n = 0; n < options.perRound; n++) await op(i++);
    const seconds = (performance.now() - started) / 1000;
    if (r > 0) rates.push(options.perRound / seconds);
  }
  const sorted = [...rates].sort((a, b) => a - b);
  return { name, opsPerSecond: sorted[Math.floor(sorted.length / 2)]!, rounds: rates };
}

/** One comparison: a case against the baseline measured in the same run. */
export interface Comparison {
  what: string;
  baseline: Measurement;
  candidate: Measurement;
}

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(1));

export function report(comparisons: Comparison[]): string {
  const rows = comparisons.map((c) => [
    c.what,
    `${c.baseline.name}: ${fmt(c.baseline.opsPerSecond)}/s`,
    `${c.candidate.name}: ${fmt(c.candidate.opsPerSecond)}/s`,
    `${(c.baseline.opsPerSecond / c.candidate.opsPerSecond).toFixed(2)}x`,
  ]);
  const header = ['what', 'baseline', 'case', 'case costs (baseline/case)'];
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => r[col]!.length)));
  const line = (cells: string[]) => cells.map((c, col) => c.padEnd(widths[col]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
