#!/usr/bin/env node
// `npm start` builds only when the sources changed since the last build: the build (tsc and the
// workflow bundle) takes about 10 s, which a restart of an unchanged tree should not pay.
// `npm run build` begins with `--begin` and ends with `--stamp`, so that a tree built by hand
// starts at once too, stamped with the sources as they were when its build began.
// Plain JavaScript so that it runs before anything is compiled.
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const SOURCES = ['domain', 'workflows', 'activities', 'worker', 'api', 'config', 'scripts', 'bench'];
const FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const stampOf = (root) => join(root, 'dist', '.build-stamp');
const pendingOf = (root) => join(root, 'dist', '.build-pending');

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** A hash of every source the build reads, by path and content. */
function fingerprint(root) {
  const hash = createHash('sha256');
  const paths = [...SOURCES.flatMap((d) => (existsSync(join(root, d)) ? [...walk(join(root, d))] : [])), ...FILES.map((f) => join(root, f))];
  for (const path of paths) {
    if (!existsSync(path) || !statSync(path).isFile()) continue;
    hash.update(path.slice(root.length)).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

/** Whether dist/ was built from the sources as they are now. */
function upToDate(root) {
  const stamp = stampOf(root);
  const built = existsSync(stamp) && existsSync(join(root, 'dist', 'workflow-bundle.js')) ? readFileSync(stamp, 'utf8').trim() : '';
  return built === fingerprint(root);
}

/**
 * A build begins: the sources it reads are taken as they are now. A file edited while it runs
 * leaves the stamp behind it (the next `npm start` builds again), and a build that fails leaves
 * no stamp at all.
 */
function beginBuild(root) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  rmSync(stampOf(root), { force: true });
  writeFileSync(pendingOf(root), `${fingerprint(root)}\n`);
}

/** The build has ended: stamped with the sources as they were when it began (no stamp without `beginBuild`). */
function writeStamp(root) {
  if (existsSync(pendingOf(root))) renameSync(pendingOf(root), stampOf(root));
}

module.exports = { beginBuild, fingerprint, upToDate, writeStamp };

if (require.main === module) {
  const root = resolve(__dirname, '..');
  if (process.argv.includes('--begin')) {
    beginBuild(root);
  } else if (process.argv.includes('--stamp')) {
    writeStamp(root);
  } else if (upToDate(root) && process.env.FORCE_BUILD !== 'true') {
    console.log('Build is up to date (FORCE_BUILD=true to rebuild).');
  } else {
    // `npm run build` writes the stamp of the sources it built as its last step.
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  }
}
