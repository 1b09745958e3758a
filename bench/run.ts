import { rateRow, report } from './measure';
import { registerComparisons } from './register';
import { stateComparisons } from './state';

/**
 * `npm run bench`: each case against a baseline measured in the same run, on the same machine,
 * round by round in turn, so that the ratios mean something where absolute rates do not. Nothing
 * here is asserted.
 */
async function main(): Promise<void> {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const rows = [
    ...(await stateComparisons(Math.round(2000 * scale))).map((c) => rateRow('state', c)),
    ...(await registerComparisons(Math.round(400 * scale))).map((c) => rateRow('register', c)),
  ];
  console.log(report(rows));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
