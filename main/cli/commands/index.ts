/** Every `likeness` sub-command: one entry each, one file each. */
import * as index from './index-command.js';
import * as similar from './similar-command.js';
import * as status from './status-command.js';
import * as evaluate from './eval-command.js';
import * as dupes from './dupes-command.js';
import * as clusters from './clusters-command.js';
import * as search from './search-command.js';
import * as tag from './tag-command.js';
import * as watch from './watch-command.js';
import * as roots from './roots-command.js';
import * as model from './model-command.js';
import * as doctor from './doctor-command.js';
import * as people from './people-command.js';
import { SERVE_USAGE, serveCommand } from '../../server/serve-command.js';

export interface Command {
  usage: string;
  summary: string;
  run: (argv: string[]) => Promise<number>;
}

export const commands: Record<string, Command> = {
  index: { usage: index.usage, summary: 'index photo folders (incremental)', run: index.indexCommand },
  similar: { usage: similar.usage, summary: 'find the most similar photos to images', run: similar.similarCommand },
  status: { usage: status.usage, summary: 'counts of indexed, pending and failed files', run: status.statusCommand },
  eval: { usage: evaluate.usage, summary: 'measure retrieval quality on a labelled folder', run: evaluate.evalCommand },
  dupes: { usage: dupes.usage, summary: 'find duplicates (exact, near, similar shots); resolve to the trash, undo', run: dupes.dupesCommand },
  clusters: { usage: clusters.usage, summary: 'group look-alike photos into clusters', run: clusters.clustersCommand },
  search: { usage: search.usage, summary: 'search by text, dates, folders and tags, ranked by example photos', run: search.searchCommand },
  tag: { usage: tag.usage, summary: 'add, remove or list the tags (and caption) of a photo', run: tag.tagCommand },
  watch: { usage: watch.usage, summary: 'index folders, then keep the index current as files change', run: watch.watchCommand },
  serve: { usage: SERVE_USAGE.replace(/^Usage: /, '').split('\n')[0], summary: 'the web UI on 127.0.0.1 (prints its URL first)', run: serveCommand },
  roots: { usage: roots.usage, summary: 'list, add or remove the library folders', run: roots.rootsCommand },
  doctor: { usage: doctor.usage, summary: 'check the library database in full (and what to do if it is damaged)', run: doctor.doctorCommand },
  people: { usage: people.usage, summary: 'the people in the photos (faces): list, name, merge; turn face recognition off', run: people.peopleCommand },
  model: { usage: model.usage, summary: 'list the embedding models or choose the library\'s (re-embeds in the background)', run: model.modelCommand },
};
