/**
 * Tests trash files through the production path, the freedesktop home trash that Likeness writes
 * itself on Linux, with `XDG_DATA_HOME` pointed into the test's own folder: files go to
 * `<root>/xdg-data/Trash/{files,info}`. The home trash is only taken for files on its device, so
 * the photos must live under `root` too (tempDir's folders do).
 *
 * macOS's and Windows's trash cannot be sandboxed by a variable: there the helper refuses, rather
 * than let a test fill the user's own trash.
 */
import path from 'node:path';

export interface TrashSandbox {
  /** The sandboxed home trash: `files/` and `info/` appear in it. */
  trashDir: string;
  /** What a child process needs in its environment to trash into it. */
  env: { XDG_DATA_HOME: string };
}

export function trashSandbox(root: string): TrashSandbox {
  if (process.platform === 'darwin' || process.platform === 'win32') {
    throw new Error('these tests move files to the trash, which can be sandboxed only where it is the freedesktop trash (Linux)');
  }
  const xdgDataHome = path.join(root, 'xdg-data');
  return { trashDir: path.join(xdgDataHome, 'Trash'), env: { XDG_DATA_HOME: xdgDataHome } };
}

/** Points this process's trash into `root` until the returned function is called. */
export function useTrashSandbox(root: string): TrashSandbox & { restore: () => void } {
  const sandbox = trashSandbox(root);
  const saved = process.env.XDG_DATA_HOME;
  process.env.XDG_DATA_HOME = sandbox.env.XDG_DATA_HOME;
  const restore = () => {
    if (saved === undefined) delete process.env.XDG_DATA_HOME;
    else process.env.XDG_DATA_HOME = saved;
  };
  return { ...sandbox, restore };
}
