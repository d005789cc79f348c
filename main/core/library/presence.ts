/**
 * Is a library root reachable? A missing folder, one we may not read, or an empty folder on
 * another device than the one recorded (the bare mount point of an unplugged drive) all mean
 * "offline": its entries are kept, marked, and come back when the folder does.
 */
import fs from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';

export type Presence = { present: true; device: number } | { present: false; reason: string };

export async function rootPresence(root: string, recordedDevice: number | null): Promise<Presence> {
  let stat: import('node:fs').Stats;
  try {
    stat = await fs.stat(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return { present: false, reason: 'permission denied: the folder cannot be read' };
    return { present: false, reason: code === 'ENOENT' ? 'the folder is missing (drive unplugged or folder moved?)' : `the folder cannot be reached (${code ?? 'error'})` };
  }
  if (!stat.isDirectory()) return { present: false, reason: 'the path is no longer a folder' };
  try {
    await fs.access(root, fsConstants.R_OK | fsConstants.X_OK);
  } catch {
    return { present: false, reason: 'permission denied: the folder cannot be read' };
  }
  // Only list the folder when the device changed (the check runs every few seconds).
  if (recordedDevice !== null && stat.dev !== recordedDevice) {
    let names: string[];
    try {
      names = await fs.readdir(root);
    } catch (error) {
      return { present: false, reason: `the folder cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
    if (names.length === 0) return { present: false, reason: 'the folder is an empty mount point (drive not mounted?)' };
  }
  return { present: true, device: stat.dev };
}
