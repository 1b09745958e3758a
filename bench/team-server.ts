/**
 * `BENCH_SERVER=team`: the benchmark against the team deployment's Temporal server rather than the
 * dev server. The server is the one `npm run start:team` runs (1.29.1, built from the Go module
 * proxy by scripts/provision-temporal-server.sh, with the project's configuration, dynamic
 * configuration and four history shards), on PostgreSQL for persistence and visibility, and every
 * register the benchmark gives a worker is a PostgreSQL database too, as in the team deployment.
 * PostgreSQL is BENCH_DATABASE_URL's (a user that may create databases) or, unset, the local one
 * the tests use (scripts/test-postgres.sh). Every database is the run's own, dropped at the end.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import {
  TEAM,
  dropDatabases,
  ensureDatabase,
  freeServerPorts,
  postgresTarget,
  provisionTemporalServer,
  registerNamespace,
  serverArgs,
  serverEnv,
  setupTemporalSchemas,
} from '../scripts/start-team';
import { Child, ROOT, connectClient, progress, type BenchServer } from './stack';

/** A PostgreSQL URL whose user may create databases: BENCH_DATABASE_URL, or the tests' local one. */
function postgresUrl(): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  progress('PostgreSQL: none in BENCH_DATABASE_URL, so the local one of scripts/test-postgres.sh');
  return execFileSync('bash', [join(ROOT, 'scripts', 'test-postgres.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export async function startTeamServer(dir: string, dataConverter: DataConverter = {}): Promise<BenchServer> {
  const tools = provisionTemporalServer(ROOT);
  if (!tools) throw new Error('the Temporal server could not be provisioned (scripts/provision-temporal-server.sh)');
  const pg = postgresTarget(postgresUrl());
  // Plain identifiers, the run's own: two runs side by side, or a deployment on the same PostgreSQL, are left alone.
  const prefix = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dbs = { temporalDb: `${prefix}_temporal`, visibilityDb: `${prefix}_visibility` };
  const created: string[] = [dbs.temporalDb, dbs.visibilityDb];
  let child: Child | undefined;
  try {
    await setupTemporalSchemas(tools, pg, dbs);
    const ports = await freeServerPorts();
    child = new Child('temporal server', tools.server, serverArgs(ROOT), serverEnv(ROOT, ports, pg, dbs), join(dir, 'temporal.log'));
    const address = `127.0.0.1:${ports.frontend}`;
    const server = child;
    await registerNamespace(address, TEAM.namespace, TEAM.retentionHours, () => server.alive);
    const { client, connection } = await connectClient(address, dataConverter);
    let registers = 0;
    return {
      description: `the team deployment's Temporal server (${TEAM.serverVersion} on PostgreSQL ${pg.host}:${pg.port}, registers on PostgreSQL)`,
      address,
      client,
      connection,
      async newRegister() {
        const name = `${prefix}_register_${registers++}`;
        await ensureDatabase(pg, name);
        created.push(name);
        return pg.urlOf(name);
      },
      async stop() {
        await connection.close();
        await server.stop(10_000);
        await dropDatabases(pg, created);
      },
    };
  } catch (err) {
    await child?.stop(10_000);
    await dropDatabases(pg, created).catch(() => undefined);
    throw err;
  }
}
