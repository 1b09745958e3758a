// Reproduces the replay-ordering fault without any crash: partnerships evicted from a small cache.
// After `npm run build`: node docs/known-issues/sdk-replay-ordering/reproduce.js [cache] [runs] [query|update]
// Each run starts a dev server and an Entente worker (WORKER_MAX_CACHED_WORKFLOWS=cache, 2 unless
// given) and drives six partnerships to in force at once with the benchmark's raw client, which
// reads each one's state while it waits for a stage: by the state query (`query`, the default), or
// by the read update the API uses (`update`). A run that meets the fault writes the failing run's
// history next to this file (failed-<run>.pb) and prints the workflow task's failure.
const { join } = require('node:path');
const { mkdtempSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const DIST = join(__dirname, '..', '..', '..', 'dist');
const { startDevServer } = require(join(DIST, 'bench', 'stack'));
const { SmtpSink } = require(join(DIST, 'bench', 'smtp-sink'));
const { startEntenteWorker, unique } = require(join(DIST, 'bench', 'services'));
const { driveToInForce, startPartnership, PARTY_IDS } = require(join(DIST, 'bench', 'lifecycle'));
const { temporal } = require('@temporalio/proto');
const { readThroughUpdate } = require(join(DIST, 'api', 'service'));

// The read the API makes of a running partnership: an update its validator refuses, the view in the refusal.
async function readByUpdate(handle) {
  const read = await readThroughUpdate(handle, { what: 'state' });
  if (!read) throw new Error('the read update was refused without an answer');
  return read.answer;
}

async function run(cache, index, reads) {
  const dir = mkdtempSync(join(tmpdir(), 'entente-repro-'));
  const server = await startDevServer(join(dir, 'temporal.log'));
  const smtp = await new SmtpSink().start();
  const ctx = { dir, server, smtp, trivialBundle: '' };
  const worker = await startEntenteWorker(ctx, { env: { WORKER_MAX_CACHED_WORKFLOWS: String(cache) } });
  let failed;
  try {
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const handle = await startPartnership(server.client, worker.taskQueue, unique('repro'));
        try {
          await driveToInForce(handle, PARTY_IDS, reads === 'update' ? readByUpdate : undefined);
        } catch (err) {
          const history = await handle.fetchHistory();
          const failure = history.events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure?.message;
          failed ??= { workflowId: handle.workflowId, failure: failure ?? String(err.cause ?? err) };
          if (failure) writeFileSync(join(__dirname, `failed-${index}.pb`), temporal.api.history.v1.History.encode(history).finish());
        }
      }),
    );
  } finally {
    await worker.child.stop();
    await smtp.stop?.();
    await server.stop();
  }
  return failed;
}

(async () => {
  const cache = Number(process.argv[2] ?? 2);
  const runs = Number(process.argv[3] ?? 4);
  const reads = process.argv[4] ?? 'query';
  let faults = 0;
  for (let i = 0; i < runs; i++) {
    const failed = await run(cache, i, reads);
    if (failed) faults++;
    console.log(`run ${i + 1}: ${failed ? `${failed.workflowId}: ${failed.failure.slice(0, 160)}` : 'every partnership reached in force'}`);
  }
  console.log(`${faults} of ${runs} runs met the fault (cache ${cache}, reads by ${reads})`);
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
