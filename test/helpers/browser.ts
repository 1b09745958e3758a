import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { LABELS } from '../../domain/labels';

/**
 * The one CHROMIUM_PATH names, or Debian's (scripts/chromium.sh installs it when it is missing, as
 * .ci/run does); undefined only when it cannot be installed here, and the browser suites then fail.
 */
export const CHROMIUM_PATH = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p)) ?? installChromium();

function installChromium(): string | undefined {
  try {
    return (
      execFileSync('bash', [join(__dirname, '..', '..', 'scripts', 'chromium.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/** A headless Chromium for the web page's tests. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // This machine reaches nothing outside; without these Chromium keeps trying to.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A label as the page shows it, `{name}` filled from `vars`; a key missing from domain/labels.ts fails the test, by name. */
export function pageLabel(language: 'en' | 'fr', key: string, vars: Record<string, string | number> = {}): string {
  const text: string | undefined = (LABELS[language] as Record<string, string>)[key];
  if (text === undefined) throw new Error(`no label ${key} in ${language}`);
  return text.replace(/\{(\w+)\}/g, (whole: string, name: string) => (vars[name] === undefined ? whole : String(vars[name])));
}
