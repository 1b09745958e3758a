import { report, type Comparison } from './measure';
import { registerComparisons } from './register';
import { stateComparisons } from './state';

/**
 * `npm run bench`: each case against a baseline measured in the same run, on the same machine,
 * so that the ratios mean something where absolute rates do not. Nothing here is asserted.
 */
async function main(): Promise<void> {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const comparisons: Comparison[] = [
    ...(await stateComparisons(Math.round(2000 * scale))),
    ...(await registerComparisons(Math.round(400 * scale))),
  ];
  console.log(report(comparisons));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
