/** The library view of "things": the most frequent automatic tags with a cover photo each. */
import type { Req, Res } from '../../preload/contract.js';
import { summaryOf } from './adapters.js';
import type { CoreLibrary } from './library-port.js';

export function things(library: CoreLibrary, req: Req<'things'>): Res<'things'> {
  const answer = library.things(req.limit);
  const covers = new Map(library.photos(answer.things.map((t) => t.coverId)).map((p) => [p.id, p]));
  return {
    things: answer.things.flatMap((t) => {
      const cover = covers.get(t.coverId);
      return cover ? [{ tag: t.tag, count: t.count, cover: summaryOf(cover) }] : [];
    }),
    annotation: answer.annotation,
  };
}
