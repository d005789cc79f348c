/**
 * The ordered list of schema migrations. Migration N brings the database to user_version N.
 * Add a file `NNNN-name.ts` exporting `up` (SQL) and append it here; never edit a shipped one.
 */
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-duplicates-tags-search.js';
import * as m0003 from './0003-watched-roots.js';
import * as m0004 from './0004-model-vectors.js';
import * as m0005 from './0005-trash-journal-intent.js';
import * as m0006 from './0006-search-space.js';
import * as m0007 from './0007-annotations.js';
import * as m0008 from './0008-view-hashes.js';
import * as m0009 from './0009-photo-exposure.js';
import * as m0010 from './0010-people.js';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

export const migrations: Migration[] = [
  { version: 1, name: 'initial', up: m0001.up },
  { version: 2, name: 'duplicates-tags-search', up: m0002.up },
  { version: 3, name: 'watched-roots', up: m0003.up },
  { version: 4, name: 'model-vectors', up: m0004.up },
  { version: 5, name: 'trash-journal-intent', up: m0005.up },
  { version: 6, name: 'search-space', up: m0006.up },
  { version: 7, name: 'annotations', up: m0007.up },
  { version: 8, name: 'view-hashes', up: m0008.up },
  { version: 9, name: 'photo-exposure', up: m0009.up },
  { version: 10, name: 'people', up: m0010.up },
];
