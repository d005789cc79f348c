/** Damage as a failing disk leaves it: a page of a closed database overwritten with garbage, in place. */
import fs from 'node:fs';
import Database from 'better-sqlite3';

/** Overwrites part of the root page of the named table or index (the file keeps its size). */
export function overwriteRootPage(dbPath: string, name: string): void {
  const raw = new Database(dbPath);
  const page = raw.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(name) as number;
  const pageSize = raw.pragma('page_size', { simple: true }) as number;
  raw.close();
  const fd = fs.openSync(dbPath, 'r+');
  fs.writeSync(fd, Buffer.alloc(256, 0xab), 0, 256, (page - 1) * pageSize + 8);
  fs.closeSync(fd);
}
