/**
 * A child process for the annotation crash test: annotates the library and kills itself with
 * SIGKILL (no clean-up at all) right after the N-th photo is stored.
 * Usage: node annotate-child.js <db> <N>
 */
import { Library } from '../../main/core/library.js';

const [dbPath, killAfter] = process.argv.slice(2);
const library = Library.open({ dbPath, annotate: true, faces: false });
let stored = 0;
await library.annotate({
  onAnnotated: () => {
    if (++stored >= Number(killAfter)) process.kill(process.pid, 'SIGKILL');
  },
});
await library.close();
