/**
 * store/database.ts `openRegister` on a SQLite file another process holds locked past SQLite's
 * own wait (5 s), as on a loaded machine when `npm start` starts the worker and the API on a new
 * data directory: it opens once the lock is let go, rather than failing ("database is locked").
 *
 * | the file                                                  | openRegister                          |
 * |-----------------------------------------------------------|---------------------------------------|
 * | locked (an exclusive transaction) for 6 s, then let go     | opens, migrated, after the lock       |
 * | a path under a file (its directory cannot be made)         | fails at once: not a lock, no retry   |
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegister } from '../../store/database';

const ROOT = join(__dirname, '..', '..');

test('a register locked past SQLite’s own wait opens once the lock is let go', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'register-open-')), 'register.db');
  // Another process, as the API beside the worker: it holds the file for 6 s.
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('BEGIN EXCLUSIVE'); console.log('locked'); setTimeout(() => db.exec('COMMIT'), 6000);`,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const lockedAt = Date.now();
    const db = await openRegister(`sqlite:${file}`);
    try {
      expect(Date.now() - lockedAt).toBeGreaterThanOrEqual(5_500);
      const tables = await db.introspection.getTables();
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['decisions', 'outbox']));
    } finally {
      await db.destroy();
    }
  } finally {
    holder.kill();
  }
}, 30_000);

test('a register that cannot be opened for another reason fails at once', async () => {
  // Its directory would be under a file.
  const file = join(mkdtempSync(join(tmpdir(), 'register-open-')), 'a-file');
  writeFileSync(file, 'not a directory');
  const started = Date.now();
  await expect(openRegister(`sqlite:${join(file, 'register.db')}`)).rejects.toMatchObject({ code: expect.stringMatching(/^E(NOTDIR|EXIST)$/) });
  expect(Date.now() - started).toBeLessThan(2_000);
});
