/**
 * `npm run build` ends here: the workflow code bundled once, at build time, into
 * dist/workflow-bundle.js, which the worker loads instead of running webpack at every start. The
 * image then carries the exact workflow code it was built with, which replay tests and patches
 * reason about.
 */
import { writeFile } from 'node:fs/promises';
import { PREBUILT_BUNDLE, bundleEntenteWorkflows } from '../worker/workflow-bundle';

async function main(): Promise<void> {
  const { code } = await bundleEntenteWorkflows({ log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error } as never);
  await writeFile(PREBUILT_BUNDLE, code);
  console.log(`workflow bundle: ${PREBUILT_BUNDLE} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
