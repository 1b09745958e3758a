/**
 * scripts/build-if-changed.js: `npm start` skips the build when dist/ was built from the sources
 * as they are, whether `npm start` or `npm run build` built it.
 *
 * | case                                             | expects                                    |
 * |--------------------------------------------------|--------------------------------------------|
 * | no stamp, or no workflow bundle                  | not up to date                             |
 * | stamped                                          | up to date                                 |
 * | a source, package.json or a new file changed     | not up to date; up to date once restamped  |
 * | a file outside the sources (README, test/)       | still up to date                           |
 * | a source edited while a build runs               | not up to date once that build has ended   |
 * | a build that fails                               | leaves no stamp                            |
 * | the last step alone, without a build's first     | writes no stamp                            |
 * | `npm run build`                                  | begins and ends with the stamp's steps     |
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Plain JavaScript, run before anything is compiled.
const { beginBuild, upToDate, writeStamp } = require('../../scripts/build-if-changed.js') as {
  beginBuild(root: string): void;
  upToDate(root: string): boolean;
  writeStamp(root: string): void;
};

let root: string;
const put = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'entente-build-stamp-'));
  put('domain/stages.ts', 'export const a = 1;\n');
  put('api/app.ts', 'export const b = 2;\n');
  put('package.json', '{"name":"x"}\n');
  put('dist/workflow-bundle.js', '// bundle\n');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A build from start to end, as `npm run build` makes it. */
const build = () => {
  beginBuild(root);
  writeStamp(root);
};

test('a tree is up to date once stamped, and not before', () => {
  expect(upToDate(root)).toBe(false);
  build();
  expect(upToDate(root)).toBe(true);
  rmSync(join(root, 'dist/workflow-bundle.js'));
  expect(upToDate(root)).toBe(false);
});

test('a changed source, package.json or a new source file needs a build; files outside the sources do not', () => {
  build();
  put('README.md', '# changed\n');
  put('test/unit/x.test.ts', 'test;\n');
  expect(upToDate(root)).toBe(true);

  for (const [path, text] of [
    ['domain/stages.ts', 'export const a = 3;\n'],
    ['package.json', '{"name":"y"}\n'],
    ['workflows/new.ts', 'export {};\n'],
  ] as const) {
    put(path, text);
    expect({ path, upToDate: upToDate(root) }).toEqual({ path, upToDate: false });
    build();
    expect({ path, upToDate: upToDate(root) }).toEqual({ path, upToDate: true });
  }
});

test('a build is stamped with the sources as they were when it began: an edit meanwhile is built next time', () => {
  beginBuild(root);
  put('domain/stages.ts', 'export const a = 4;\n'); // saved in an editor while tsc runs
  writeStamp(root);
  expect(upToDate(root)).toBe(false);
  build();
  expect(upToDate(root)).toBe(true);
});

test('a build that fails leaves no stamp, even where the one before had stamped the same sources', () => {
  build();
  expect(upToDate(root)).toBe(true);
  beginBuild(root); // and tsc fails: the build's last step never runs
  expect(upToDate(root)).toBe(false);
});

test('the stamp step alone, with no build begun, stamps nothing', () => {
  writeStamp(root);
  expect(upToDate(root)).toBe(false);
});

test('`npm run build` stamps what it built, so that `npm start` after it skips the build', () => {
  const { scripts } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
  const steps = scripts.build!.split('&&').map((step) => step.trim());
  expect(steps[0]).toBe('node scripts/build-if-changed.js --begin');
  expect(steps.at(-1)).toBe('node scripts/build-if-changed.js --stamp');
  expect(scripts.start).toMatch(/^node scripts\/build-if-changed\.js && /);
});
