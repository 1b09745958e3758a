/**
 * `npm run bench`: each case against a baseline measured in the same run, on the same machine,
 * round by round in turn, so that the ratios mean something where absolute figures do not.
 * Nothing here is asserted. One table at the end (Markdown).
 *
 *   BENCH_SIZE=quick (default)  3 to 4 minutes on 2 cores; 500 and 1,000 live partnerships
 *   BENCH_SIZE=full             more rounds; 1,000 to 10,000 live partnerships (long)
 *   BENCH_ONLY=start,command    only these sections (state, register, calendar, cold, command, lifecycle, start, live)
 *   BENCH_LIVE=200,400          other checkpoints for the live section
 *   BENCH_INTAKE_RATE=10        the live section's timed intakes a second, rather than half the warm-up's rate
 *   BENCH_KEEP=1                keep the temporary directory (logs of every process, registers)
 *   BENCH_CODEC=0               without the payload codec (on by default, as in production)
 *   BENCH_SERVER=team           against the team deployment's Temporal server on PostgreSQL (bench/team-server.ts)
 *                               rather than a dev server; BENCH_DATABASE_URL its PostgreSQL (the tests' local one unset)
 *   BENCH_COMMANDS=40           commands of each kind per round in the command section (50 quick, 150 full)
 *   BENCH_WARM_UP=300           commands of each kind before its rounds, to another partnership (as many as a round)
 *   BENCH_API_NODE_ARGS=…       Node's options for the API process (--cpu-prof --cpu-prof-dir=…, say);
 *   BENCH_ENTENTE_WORKER_NODE_ARGS=…, BENCH_TRIVIAL_WORKER_NODE_ARGS=…  the same for the workers
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { codecKeysFromEnv, dataConverterFor, EncryptionCodec, generateCodecKey } from '../config/codec';
import { evictedRows } from './evicted';
import { liveRows, type LiveOptions } from './live';
import { rateRow, report, type Row } from './measure';
import { registerComparisons } from './register';
import type { BenchContext } from './services';
import { SmtpSink } from './smtp-sink';
import { progress, startDevServer } from './stack';
import { startTeamServer } from './team-server';
import { stateComparisons } from './state';
import { calendarComparisons } from './calendar';
import { coldStartRows, commandRows, lifecycleRows, startRows, startServices } from './temporal';
import { readRows } from './reads';

interface Size {
  statePerRound: number;
  registerPerRound: number;
  calendarPerRound: number;
  coldRounds: number;
  commandRounds: number;
  commandsPerRound: number;
  /** Commands of each kind before the command section's measured rounds, to another partnership. */
  commandWarmUp: number;
  lifecycleRounds: number;
  startRounds: number;
  starts: Array<{ concurrency: number; count: number }>;
  live: LiveOptions;
}

const SIZES: Record<'quick' | 'full', Size> = {
  quick: {
    statePerRound: 1000,
    registerPerRound: 200,
    calendarPerRound: 30,
    coldRounds: 3,
    commandRounds: 4,
    commandsPerRound: 50,
    commandWarmUp: 50,
    lifecycleRounds: 3,
    startRounds: 3,
    starts: [
      { concurrency: 16, count: 32 },
      { concurrency: 64, count: 64 },
    ],
    live: { checkpoints: [500, 1000], warm: 50, timed: 100, pace: 0.5, marginMs: 10_000, drainMs: 60_000, deskRounds: 3 },
  },
  full: {
    statePerRound: 2000,
    registerPerRound: 400,
    calendarPerRound: 60,
    coldRounds: 5,
    commandRounds: 7,
    commandsPerRound: 150,
    commandWarmUp: 150,
    lifecycleRounds: 5,
    startRounds: 5,
    starts: [
      { concurrency: 16, count: 128 },
      { concurrency: 64, count: 256 },
    ],
    live: { checkpoints: [1000, 2500, 5000, 10_000], warm: 200, timed: 2000, pace: 0.5, marginMs: 30_000, drainMs: 600_000, deskRounds: 3 },
  },
};

const SECTIONS = ['state', 'register', 'calendar', 'cold', 'command', 'lifecycle', 'start', 'live'] as const;

async function main(): Promise<void> {
  const began = Date.now();
  const sizeName = (process.env.BENCH_SIZE ?? 'quick') as keyof typeof SIZES;
  const size = SIZES[sizeName];
  if (!size) throw new Error(`BENCH_SIZE must be quick or full, not ${process.env.BENCH_SIZE}`);
  const only = new Set(process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((x) => x.trim()) : SECTIONS);
  for (const name of only) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`BENCH_ONLY: no section ${name} (${SECTIONS.join(', ')})`);
  if (process.env.BENCH_LIVE) size.live.checkpoints = process.env.BENCH_LIVE.split(',').map(Number);
  if (process.env.BENCH_INTAKE_RATE) size.live.rate = Number(process.env.BENCH_INTAKE_RATE);
  if (process.env.BENCH_COMMANDS) size.commandsPerRound = Number(process.env.BENCH_COMMANDS);
  if (process.env.BENCH_WARM_UP) size.commandWarmUp = Number(process.env.BENCH_WARM_UP);
  const log = progress;
  // As production runs (npm start generates a key): every payload encrypted, by the workers, the
  // API and the benchmark's own client alike, so that baselines pay for the codec too.
  if (process.env.BENCH_CODEC !== undefined && !['0', '1'].includes(process.env.BENCH_CODEC)) throw new Error('BENCH_CODEC must be 0 or 1');
  const serverKind = process.env.BENCH_SERVER ?? 'dev';
  if (serverKind !== 'dev' && serverKind !== 'team') throw new Error(`BENCH_SERVER must be dev or team, not ${serverKind}`);
  const codecKeys = process.env.BENCH_CODEC === '0' ? undefined : generateCodecKey('bench');
  const codec = codecKeys ? new EncryptionCodec(codecKeysFromEnv({ ENTENTE_CODEC_KEYS: codecKeys })!) : undefined;

  const rows: Row[] = [];
  let serverUsed = 'no Temporal server (in-process sections only)';
  // In-process figures first, while nothing else runs.
  if (only.has('state')) {
    log('state');
    rows.push(...(await stateComparisons(size.statePerRound)).map((c) => rateRow('state', c)));
  }
  if (only.has('register')) {
    log('register');
    rows.push(...(await registerComparisons(size.registerPerRound)).map((c) => rateRow('register', c)));
  }

  if (only.has('calendar')) {
    log('calendar');
    rows.push(...(await calendarComparisons(size.calendarPerRound)).map((c) => rateRow('calendar', c)));
  }

  if (['cold', 'command', 'lifecycle', 'start', 'live'].some((s) => only.has(s))) {
    const dir = mkdtempSync(join(tmpdir(), 'entente-bench-'));
    log(`${serverKind === 'team' ? "the team deployment's Temporal server" : 'Temporal dev server'}, SMTP sink, trivial bundle (logs in ${dir})`);
    const server = await (serverKind === 'team' ? startTeamServer : startDevServer)(dir, dataConverterFor(codec));
    serverUsed = server.description;
    const smtp = await new SmtpSink().start();
    let failed = false;
    try {
      const { code } = await bundleWorkflowCode({
        workflowsPath: require.resolve('./workflows/trivial'),
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } as never,
      });
      const trivialBundle = join(dir, 'trivial-bundle.js');
      writeFileSync(trivialBundle, code);
      const ctx: BenchContext = { dir, server, smtp, trivialBundle, ...(codecKeys ? { codecKeys } : {}) };

      if (only.has('cold')) {
        log('cold start');
        rows.push(...(await coldStartRows(ctx, size.coldRounds)));
      }
      if (['command', 'lifecycle', 'start'].some((s) => only.has(s))) {
        const svc = await startServices(ctx);
        try {
          if (only.has('command')) {
            log('commands');
            rows.push(...(await commandRows(ctx, svc, size.commandRounds, size.commandsPerRound, size.commandWarmUp)));
            log('commands to evicted partnerships');
            rows.push(...(await evictedRows(ctx, size.commandRounds, size.commandsPerRound)));
            log('reads');
            rows.push(...(await readRows(ctx, svc, size.commandRounds, size.commandsPerRound)));
          }
          if (only.has('lifecycle')) {
            log('lifecycle');
            rows.push(...(await lifecycleRows(ctx, svc, size.lifecycleRounds)));
          }
          if (only.has('start')) {
            log('starts');
            rows.push(...(await startRows(ctx, svc, size.startRounds, size.starts)));
          }
        } finally {
          await svc.stop();
        }
      }
      if (only.has('live')) {
        log(`live partnerships (${size.live.checkpoints.join(', ')})`);
        rows.push(...(await liveRows(ctx, size.live)));
      }
    } catch (err) {
      // Said before the cleanup, which may fail in turn (a client's retry still pending), with the
      // rows measured so far: a full run may fail after twenty minutes of them. Its logs are kept.
      failed = true;
      console.error('the benchmark failed:', err);
      if (rows.length > 0) console.log(`The rows measured before it failed (against ${serverUsed}):\n\n${report(rows)}`);
      throw err;
    } finally {
      await smtp.stop();
      await server.stop();
      if (process.env.BENCH_KEEP || failed) log(`kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }

  log('done');
  const minutes = ((Date.now() - began) / 60_000).toFixed(1);
  console.log(
    `Entente benchmark, BENCH_SIZE=${sizeName}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; against ${serverUsed}; payload codec ${codec ? 'on (AES-256-GCM)' : 'off (BENCH_CODEC=0)'}; ${minutes} min\n`,
  );
  console.log(report(rows));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
