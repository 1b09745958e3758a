/**
 * What Entente asks of every Temporal server it starts: `npm start`'s dev server, the tests' and
 * the benchmark's (as `--dynamic-config-value` flags), and the team deployment's
 * (config/temporal/dynamicconfig/development-postgres.yaml, which test/unit/deployment.test.ts
 * holds to these values). The README asks the same of a cluster of one's own ("Past one
 * machine", under "Team deployment").
 */
export const SERVER_DYNAMIC_CONFIG = {
  // An activity scheduled by a workflow task (an email, above all) is handed back to the worker
  // with the answer to that task, when it has a free slot, rather than queued in matching for a
  // poll: at 1,000 live partnerships on the team's server, a reminder's emails reached SMTP in
  // half the time (bench/, timer rows). Off by default in the server.
  'system.enableActivityEagerExecution': true,
} as const;

/** The Temporal CLI dev server's flags for SERVER_DYNAMIC_CONFIG. */
export const devServerDynamicConfigFlags = (): string[] =>
  Object.entries(SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
