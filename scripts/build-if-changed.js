#!/usr/bin/env node
// `npm start` builds only when the sources changed since the last build: the build (tsc and the
// workflow bundle) takes about 10 s, which a restart of an unchanged tree should not pay.
// Plain JavaScript so that it runs before anything is compiled.
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const SOURCES = ['domain', 'workflows', 'activities', 'worker', 'api', 'config', 'scripts', 'bench'];
const FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const STAMP = join(ROOT, 'dist', '.build-stamp');

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

function fingerprint() {
  const hash = createHash('sha256');
  const paths = [...SOURCES.flatMap((d) => (existsSync(join(ROOT, d)) ? [...walk(join(ROOT, d))] : [])), ...FILES.map((f) => join(ROOT, f))];
  for (const path of paths) {
    if (!existsSync(path) || !statSync(path).isFile()) continue;
    hash.update(path.slice(ROOT.length)).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

const current = fingerprint();
const built = existsSync(STAMP) && existsSync(join(ROOT, 'dist', 'workflow-bundle.js')) ? readFileSync(STAMP, 'utf8').trim() : '';
if (built === current && process.env.FORCE_BUILD !== 'true') {
  console.log('Build is up to date (FORCE_BUILD=true to rebuild).');
} else {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  writeFileSync(STAMP, `${current}\n`);
}
