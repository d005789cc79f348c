/**
 * The CLI is given paths, the core takes photo ids (as the UI has them): the paths are turned into
 * ids here, at the CLI's edge, with the messages the CLI has always given for a photo it lacks.
 */
import path from 'node:path';
import type { Library } from '../core/library.js';

type Photos = Pick<Library, 'photoAt'>;

/** The id of the library's photo at `file`. */
export function photoIdAt(library: Photos, file: string): number {
  const photo = library.photoAt(file);
  if (!photo) throw new Error(`not a photo of this library: ${path.resolve(file)} (index its folder first)`);
  return photo.id;
}

/** The id of an indexed photo at `file` (one whose content is known, as "not duplicates" needs). */
export function indexedPhotoIdAt(library: Photos, file: string): number {
  const photo = library.photoAt(file);
  if (!photo?.contentHash) throw new Error(`not an indexed photo of this library: ${file}`);
  return photo.id;
}
