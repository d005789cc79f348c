/**
 * A child process for the resolve crash loop: opens the library and resolves the requests of a
 * JSON file (keep one, trash the other of each pair) through the real `Library.resolveDupes`.
 * Prints "resolving" just before it starts, so the parent can time its SIGKILL.
 * Usage: node resolve-child.js <db> <requests.json>   (XDG_DATA_HOME, so the trash, set by the parent)
 */
import fs from 'node:fs';
import { Library } from '../../main/core/library.js';
import type { ResolveRequest } from '../../main/core/types.js';

const [dbPath, requestsFile] = process.argv.slice(2);
const requests = JSON.parse(fs.readFileSync(requestsFile, 'utf8')) as ResolveRequest[];
const library = Library.open({ dbPath });
process.stdout.write('resolving\n');
const answer = await library.resolveDupes(requests);
process.stdout.write(`${JSON.stringify({ trashed: answer.trashed, failed: answer.failed.length })}\n`);
await library.close();
