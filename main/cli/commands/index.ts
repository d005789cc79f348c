/** Every `likeness` sub-command: one entry each, one file each. */
import * as index from './index-command.js';
import * as similar from './similar-command.js';
import * as status from './status-command.js';
import * as evaluate from './eval-command.js';

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
};
