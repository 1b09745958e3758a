import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The provisioning scripts print the binary's path, building or fetching it only the first time. */
const provisioned = (script: string): string =>
  execFileSync('bash', [join(ROOT, 'scripts', script)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

export const temporalCliPath = (): string => provisioned('provision-temporal-cli.sh');
export const testServerPath = (): string => provisioned('provision-test-server.sh');
