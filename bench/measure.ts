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
  return (await interleaved([{ name, op }], options))[0]!;
}

/**
 * The same for several cases, round by round in turn (a warm-up round of each first), so that a
 * slow spell of the machine falls on every case alike rather than on whichever ran then.
 */
export async function interleaved(
  cases: Array<{ name: string; op: (i: number) => unknown }>,
  options: { rounds?: number; perRound: number },
): Promise<Measurement[]> {
  const rounds = options.rounds ?? 5;
  const rates = cases.map(() => [] as number[]);
  const next = cases.map(() => 0);
  for (let r = 0; r <= rounds; r++) {
    for (const [c, { op }] of cases.entries()) {
      const started = performance.now();
      for (let n = 0; n < options.perRound; n++) await op(next[c]!++);
      const seconds = (performance.now() - started) / 1000;
      if (r > 0) rates[c]!.push(options.perRound / seconds);
    }
  }
  return cases.map(({ name }, c) => ({ name, opsPerSecond: median(rates[c]!), rounds: rates[c]! }));
}

/** One comparison: a case against the baseline measured in the same run. */
export interface Comparison {
  what: string;
  baseline: Measurement;
  candidate: Measurement;
}

// ── Statistics ──────────────────────────────────────────────────────────────────────────────

/** The nearest-rank percentile (p in 0..100) of the values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** The median of a figure over several rounds and how far the rounds strayed from it. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** Latencies in milliseconds, as `p50 12 ms, p95 40 ms`. */
export function latencySummary(ms: readonly number[]): string {
  return `p50 ${fmt(percentile(ms, 50))} ms, p95 ${fmt(percentile(ms, 95))} ms`;
}

// ── The table ───────────────────────────────────────────────────────────────────────────────

/**
 * One line of the table: what the case costs against its baseline. `ratio` is case/baseline
 * (2.0x: the case costs twice the baseline), taken round by round, so its spread says how much
 * the figure moved between rounds of the same run.
 */
export interface Row {
  section: string;
  what: string;
  baseline: string;
  candidate: string;
  ratio: Spread;
  /** The goal of issue 10 this row measures, and whether this run met it. */
  goal?: Goal;
}

/** A goal and this run's verdict on it, as the table's last column says it. */
export interface Goal {
  target: string;
  verdict: string;
}

/**
 * A goal on the row's ratio, at most `limit`: met when every round is within it; met at the
 * median when the median is but some rounds are not (the machine's noise is as large as the
 * margin); not met otherwise.
 */
export function ratioGoal(limit: number, ratio: Spread): Goal {
  const over = ratio.n > 1 && ratio.median <= limit && ratio.max > limit ? `, not in every round (up to ${ratio.max.toFixed(2)}x)` : '';
  return { target: `≤ ${limit.toFixed(2)}x`, verdict: !Number.isFinite(ratio.median) ? 'not measured' : ratio.median > limit ? 'not met' : `met${over}` };
}

/** A goal on a measured figure (milliseconds, megabytes, a count), at most `limit`. */
export function figureGoal(target: string, figure: number, limit: number, shown = fmt(figure)): Goal {
  return { target, verdict: !Number.isFinite(figure) ? 'not measured' : `${figure <= limit ? 'met' : 'not met'} (${shown})` };
}

/** A rate comparison as a row: the cost ratio of round i is baseline rate i / case rate i. */
export function rateRow(section: string, c: Comparison): Row {
  const ratios = c.baseline.rounds.map((b, i) => b / c.candidate.rounds[i]!);
  return {
    section,
    what: c.what,
    baseline: `${c.baseline.name}: ${fmt(c.baseline.opsPerSecond)}/s`,
    candidate: `${c.candidate.name}: ${fmt(c.candidate.opsPerSecond)}/s`,
    ratio: spread(ratios),
  };
}

export const fmt = (n: number): string =>
  !Number.isFinite(n) ? '–' : Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);

const ratioText = (s: Spread): string => (Number.isFinite(s.median) ? `${s.median.toFixed(2)}x` : '–');
const spreadText = (s: Spread): string => (!Number.isFinite(s.median) ? '' : s.n < 2 ? '1 round' : `${s.min.toFixed(2)}–${s.max.toFixed(2)} (${s.n} rounds)`);

/** The one table `npm run bench` prints (Markdown, so that the README can quote it as is). */
export function report(rows: Row[]): string {
  const header = ['what', 'baseline', 'case', 'case costs', 'spread of rounds', 'goal (issue 10)'];
  const goalText = (g?: Goal) => (g ? `${g.target}: ${g.verdict}` : '');
  const cells = rows.map((r) => [`${r.section}: ${r.what}`, r.baseline, r.candidate, ratioText(r.ratio), spreadText(r.ratio), goalText(r.goal)]);
  const widths = header.map((h, col) => Math.max(h.length, ...cells.map((r) => r[col]!.length)));
  const line = (row: string[]) => `| ${row.map((c, col) => c.padEnd(widths[col]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
