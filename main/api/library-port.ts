/**
 * What the API asks of the core: the `Library`'s own members (main/core/library.ts), picked by
 * name, so the compiler checks every call the handlers make and every answer they map. Tests
 * stand in for the core with objects of this type.
 */
import type { Library } from '../core/library.js';
import type { WatchEvent } from '../core/watch/watcher.js';

export type CoreLibrary = Pick<
  Library,
  // indexing, roots and watching
  | 'index'
  | 'roots'
  | 'rootsWithState'
  | 'addRoot'
  | 'removeRoot'
  | 'watch'
  | 'stopWatching'
  | 'rescan'
  | 'readOnly'
  // browsing
  | 'status'
  | 'listPhotos'
  | 'timelineRows'
  | 'photo'
  | 'photos'
  | 'folders'
  // similar, duplicates, clusters, search
  | 'similar'
  | 'similarToBuffer'
  | 'dupes'
  | 'resolveDupes'
  | 'undoLastResolve'
  | 'notDuplicates'
  | 'duplicateThresholds'
  | 'setDuplicateThresholds'
  | 'referenceFolders'
  | 'setReferenceFolders'
  | 'clusters'
  | 'search'
  // tags, captions, annotation, people
  | 'tag'
  | 'untag'
  | 'tags'
  | 'tagsOf'
  | 'caption'
  | 'captionOf'
  | 'annotationsOf'
  | 'suggestTags'
  | 'things'
  | 'annotate'
  | 'annotationOn'
  | 'facesOn'
  | 'people'
  | 'setFaceRecognition'
  | 'settings'
  | 'close'
>;

/** One row of the grid's layout data (Library.timelineRows). */
export type TimelineRow = ReturnType<Library['timelineRows']>[number];

/** The watcher's events, which the API relays (main/core/watch/watcher.ts). */
export type WatchEventLike = WatchEvent;
