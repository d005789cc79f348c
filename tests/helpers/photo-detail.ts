/** A PhotoDetail for tests of the fronts that stub the core: an indexed photo with nothing known. */
import path from 'node:path';
import type { PhotoDetail } from '../../main/core/types.js';

export function photoDetail(id: number, file: string, overrides: Partial<PhotoDetail> = {}): PhotoDetail {
  return {
    id,
    path: file,
    name: path.basename(file),
    folder: path.dirname(file),
    size: 1,
    mtimeMs: 0,
    width: 1,
    height: 1,
    takenAt: null,
    thumbnail: null,
    format: null,
    camera: null,
    lens: null,
    gpsLat: null,
    gpsLon: null,
    exposureTime: null,
    fNumber: null,
    iso: null,
    focalLength: null,
    contentHash: null,
    dhash: null,
    phash: null,
    status: 'indexed',
    error: null,
    ...overrides,
  };
}
