/**
 * "The file lies under this folder" as a range on the indexed `path` column: paths that start
 * with `folder/` are exactly those in [`folder/`, `folder0`), since '0' is the character after '/'
 * (and ']' after '\'). SQLite compares text bytewise and both are one byte in UTF-8, so the range
 * is exact, and unlike `substr(path, 1, n) = prefix` it is a seek on the path index, not a scan.
 */
import path from 'node:path';

export function underFolder(folder: string, column = 'path'): { sql: string; args: [string, string] } {
  const sep = path.sep;
  const base = folder.endsWith(sep) ? folder.slice(0, -sep.length) : folder;
  const after = String.fromCharCode(sep.charCodeAt(0) + 1);
  return { sql: `(${column} >= ? AND ${column} < ?)`, args: [base + sep, base + after] };
}
