/**
 * bench/measure.ts: the verdict the benchmark's table gives on each goal of issue 10.
 *
 * | goal                       | figures                         | verdict                                      |
 * |----------------------------|---------------------------------|----------------------------------------------|
 * | a ratio, at most 1.10x     | every round within              | met                                          |
 * |                            | the median within, a round over | met, not in every round (up to the worst)    |
 * |                            | the median over                 | not met                                      |
 * |                            | no rounds                       | not measured                                 |
 * | a figure, at most a limit  | within; over; NaN               | met (figure); not met (figure); not measured |
 * | the table                  | a row with a goal, one without  | the goal's column says it, or stays empty    |
 */
import { figureGoal, ratioGoal, report, spread, type Row } from '../../bench/measure';

describe('a goal on a ratio', () => {
  test('met when every round is within it', () => {
    expect(ratioGoal(1.1, spread([1.05, 1.08, 1.1]))).toEqual({ target: '≤ 1.10x', verdict: 'met' });
  });

  test('met at the median but not in every round says how far the worst round went', () => {
    expect(ratioGoal(1.1, spread([1.05, 1.09, 1.18]))).toEqual({ target: '≤ 1.10x', verdict: 'met, not in every round (up to 1.18x)' });
  });

  test('not met when the median is over', () => {
    expect(ratioGoal(2, spread([1.9, 2.08, 2.16])).verdict).toBe('not met');
  });

  test('not measured when no round gave a figure', () => {
    expect(ratioGoal(2, spread([])).verdict).toBe('not measured');
  });
});

test('a goal on a figure gives the figure with its verdict', () => {
  expect(figureGoal('p95 ≤ 1,000 ms', 640, 1000, 'p95 640 ms')).toEqual({ target: 'p95 ≤ 1,000 ms', verdict: 'met (p95 640 ms)' });
  expect(figureGoal('RSS ≤ 1,536 MB', 1600, 1536).verdict).toBe('not met (1,600)');
  expect(figureGoal('fewer events than 418', Number.NaN, 417).verdict).toBe('not measured');
});

test("the table's last column gives the goal of a row that has one, and nothing for one that has none", () => {
  const row = (goal?: Row['goal']): Row => ({ section: 's', what: 'w', baseline: 'b', candidate: 'c', ratio: spread([1.2]), ...(goal ? { goal } : {}) });
  const [header, , withGoal, without] = report([row(ratioGoal(1.1, spread([1.2]))), row()]).split('\n');
  expect(header).toMatch(/\| goal \(issue 10\) +\|$/);
  expect(withGoal).toMatch(/\| ≤ 1\.10x: not met +\|$/);
  expect(without).toMatch(/\| 1 round +\| +\|$/);
});
