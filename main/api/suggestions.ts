/** The search box's suggestions as one types (see core/annotation/tag-suggestions.ts). */
import type { Req, Res } from '../../preload/contract.js';
import type { CoreLibrary } from './library-port.js';

export function suggestTags(library: CoreLibrary, req: Req<'suggestTags'>): Res<'suggestTags'> {
  // The last word is the one being typed ("red ca" suggests for "ca").
  const word = req.prefix.trim().split(/\s+/).pop() ?? '';
  return { suggestions: library.suggestTags(word, req.limit) };
}
