/**
 * Reading a HEIF container (HEIC) without decoding it: its embedded thumbnails and its EXIF.
 *
 * Phones store a small thumbnail beside a HEIC's full image (an iPhone's is 320×240). Decoding
 * it instead of the 12-megapixel primary is what makes a HEIC as cheap to index as a JPEG, since
 * HEVC has no shrink on load. Decoders (libheif, natively or in WebAssembly) only decode a file's
 * primary image, so this module rewrites the container: a new, small HEIF file whose one image is
 * the thumbnail (its coded bytes and properties copied unchanged). Only read, never decoded here.
 *
 * Box layout: ISO/IEC 14496-12 (ISOBMFF: meta, iinf, iloc, iref) and 23008-12 (HEIF: iprp, ipma).
 */

interface Box {
  type: string;
  /** Whole box, header included. */
  start: number;
  /** First byte after the header. */
  body: number;
  end: number;
}

/** An embedded image of the file that can stand in for the primary one. */
export interface HeifThumbnail {
  width: number;
  height: number;
  /** A standalone HEIF file holding only this image. */
  bytes: Buffer;
}

/**
 * The smallest thumbnail whose short side is at least minShort and long side at least minLong,
 * shown the same way as the primary image (same rotation, mirror and crop) and of its shape;
 * null when there is none, or the container is one this reader does not follow.
 */
export function heifThumbnail(file: Buffer, minShort: number, minLong: number): HeifThumbnail | null {
  try {
    return findThumbnail(file, minShort, minLong);
  } catch {
    return null; // a malformed container: the primary is decoded, which reports what is wrong
  }
}

/**
 * The photo's EXIF as a TIFF block (what exifr reads as a file), or null. exifr finds the EXIF
 * of a HEIC itself, but ignores iloc's base offset, which libheif's writer (heif-enc) uses: it
 * read such files' EXIF from the wrong place and reported none.
 */
export function heifExif(file: Buffer): Buffer | null {
  try {
    const meta = readMeta(file);
    if (!meta) return null;
    for (const [id, infe] of readInfes(file, meta.iinf)) {
      if (itemType(file, infe) !== 'Exif') continue;
      const data = readItemData(file, meta.iloc, id);
      // The item starts with the offset from its 5th byte to the TIFF header.
      if (!data || data.length < 8) return null;
      const tiff = data.subarray(4 + data.readUInt32BE(0));
      return tiff.length >= 8 ? tiff : null;
    }
    return null;
  } catch {
    return null;
  }
}

function readMeta(file: Buffer) {
  const top = children(file, 0, file.length);
  const ftyp = top.find((b) => b.type === 'ftyp');
  const meta = top.find((b) => b.type === 'meta');
  if (!ftyp || !meta) return null;
  const inMeta = children(file, meta.body + 4, meta.end);
  const find = (type: string) => inMeta.find((b) => b.type === type);
  const [hdlr, pitm, iinf, iloc, iref, iprp] = ['hdlr', 'pitm', 'iinf', 'iloc', 'iref', 'iprp'].map(find);
  if (!hdlr || !pitm || !iinf || !iloc || !iprp) return null;
  const inIprp = children(file, iprp.body, iprp.end);
  const ipco = inIprp.find((b) => b.type === 'ipco');
  const ipma = inIprp.find((b) => b.type === 'ipma');
  if (!ipco || !ipma) return null;
  return { ftyp, hdlr, pitm, iinf, iloc, iref, ipco, ipma };
}

function findThumbnail(file: Buffer, minShort: number, minLong: number): HeifThumbnail | null {
  const meta = readMeta(file);
  if (!meta) return null;
  const { ftyp, hdlr, pitm, iinf, iloc, iref, ipco, ipma } = meta;

  const primary = file[pitm.body] === 0 ? file.readUInt16BE(pitm.body + 4) : file.readUInt32BE(pitm.body + 4);
  const properties = children(file, ipco.body, ipco.end);
  const associations = readIpma(file, ipma);
  const itemProperties = (id: number) => (associations.get(id)?.indexes ?? []).map((i) => properties[i - 1]).filter((b) => b !== undefined);
  // Rotation, mirror and crop must be the same, or the thumbnail would show another picture.
  const transforms = (id: number) =>
    itemProperties(id)
      .filter((b) => b.type === 'irot' || b.type === 'imir' || b.type === 'clap')
      .map((b) => file.subarray(b.start, b.end).toString('hex'))
      .join();
  const size = (id: number) => {
    const ispe = itemProperties(id).find((b) => b.type === 'ispe');
    return ispe ? { width: file.readUInt32BE(ispe.body + 4), height: file.readUInt32BE(ispe.body + 8) } : null;
  };
  const full = size(primary);
  if (!full) return null;

  const candidates = (iref ? readThumbnailRefs(file, iref, primary) : [])
    .map((id) => ({ id, size: size(id) }))
    .filter((c): c is { id: number; size: { width: number; height: number } } => c.size !== null)
    .filter(({ id, size: { width, height } }) => {
      const short = Math.min(width, height);
      const long = Math.max(width, height);
      const sameShape = Math.abs(width / height - full.width / full.height) < 0.02 * (full.width / full.height);
      return short >= minShort && long >= minLong && sameShape && transforms(id) === transforms(primary);
    })
    .sort((a, b) => a.size.width * a.size.height - b.size.width * b.size.height);

  for (const { id, size: thumbSize } of candidates) {
    const infe = readInfes(file, iinf).get(id);
    const data = readItemData(file, iloc, id);
    const entry = associations.get(id);
    if (!infe || !data || !entry || itemType(file, infe) !== 'hvc1') continue;
    if (id > 0xffff) continue; // written below with 16-bit item ids
    return { ...thumbSize, bytes: standalone(file, { ftyp, hdlr, ipco, ipma, infe, entry: entry.bytes, id, data }) };
  }
  return null;
}

/** The boxes between start and end. */
function children(file: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    let body = at + 8;
    if (size === 1) {
      size = Number(file.readBigUInt64BE(at + 8));
      body = at + 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < body - at || at + size > end) throw new Error(`bad ${type} box`);
    boxes.push({ type, start: at, body, end: at + size });
    at += size;
  }
  return boxes;
}

/** Item id → its property indexes (1-based into ipco) and its entry's raw bytes. */
function readIpma(file: Buffer, ipma: Box): Map<number, { indexes: number[]; bytes: Buffer }> {
  const version = file[ipma.body];
  const wideIndex = (file.readUInt32BE(ipma.body) & 1) === 1;
  const count = file.readUInt32BE(ipma.body + 4);
  const map = new Map<number, { indexes: number[]; bytes: Buffer }>();
  let at = ipma.body + 8;
  for (let i = 0; i < count; i++) {
    const entryStart = at;
    const id = version < 1 ? file.readUInt16BE(at) : file.readUInt32BE(at);
    at += version < 1 ? 2 : 4;
    const n = file[at++];
    const indexes: number[] = [];
    for (let j = 0; j < n; j++) {
      indexes.push(wideIndex ? file.readUInt16BE(at) & 0x7fff : file[at] & 0x7f);
      at += wideIndex ? 2 : 1;
    }
    map.set(id, { indexes, bytes: file.subarray(entryStart, at) });
  }
  return map;
}

/** The items that the primary's 'thmb' references name as its thumbnails. */
function readThumbnailRefs(file: Buffer, iref: Box, primary: number): number[] {
  const wide = file[iref.body] !== 0;
  const ids: number[] = [];
  for (const ref of children(file, iref.body + 4, iref.end)) {
    if (ref.type !== 'thmb') continue;
    let at = ref.body;
    const read = () => {
      const v = wide ? file.readUInt32BE(at) : file.readUInt16BE(at);
      at += wide ? 4 : 2;
      return v;
    };
    const from = read();
    const n = file.readUInt16BE(at);
    at += 2;
    const to = Array.from({ length: n }, read);
    if (to.includes(primary)) ids.push(from);
  }
  return ids;
}

function readInfes(file: Buffer, iinf: Box): Map<number, Box> {
  const first = iinf.body + 4 + (file[iinf.body] === 0 ? 2 : 4);
  const map = new Map<number, Box>();
  for (const infe of children(file, first, iinf.end)) {
    const version = file[infe.body];
    if (infe.type !== 'infe' || version < 2) continue;
    map.set(version === 2 ? file.readUInt16BE(infe.body + 4) : file.readUInt32BE(infe.body + 4), infe);
  }
  return map;
}

/** infe version 2: 16-bit item id, protection index, type; version 3: 32-bit id. */
function itemType(file: Buffer, infe: Box): string {
  const at = infe.body + (file[infe.body] === 2 ? 8 : 10);
  return file.toString('latin1', at, at + 4);
}

/** The item's coded bytes (its extents joined), or null when they are not plain file ranges. */
function readItemData(file: Buffer, iloc: Box, wanted: number): Buffer | null {
  const version = file[iloc.body];
  let at = iloc.body + 4;
  const offsetSize = file[at] >> 4;
  const lengthSize = file[at] & 15;
  const baseOffsetSize = file[at + 1] >> 4;
  const indexSize = version >= 1 ? file[at + 1] & 15 : 0;
  at += 2;
  const readN = (bytes: number) => {
    const v = bytes === 0 ? 0 : bytes === 4 ? file.readUInt32BE(at) : bytes === 8 ? Number(file.readBigUInt64BE(at)) : NaN;
    if (Number.isNaN(v)) throw new Error('bad iloc field size');
    at += bytes;
    return v;
  };
  const readId = () => {
    const v = version < 2 ? file.readUInt16BE(at) : file.readUInt32BE(at);
    at += version < 2 ? 2 : 4;
    return v;
  };
  const count = version < 2 ? file.readUInt16BE(at) : file.readUInt32BE(at);
  at += version < 2 ? 2 : 4;
  for (let i = 0; i < count; i++) {
    const id = readId();
    const method = version >= 1 ? file.readUInt16BE(at) & 15 : 0;
    if (version >= 1) at += 2;
    const dataReference = file.readUInt16BE(at);
    at += 2;
    const base = readN(baseOffsetSize);
    const extents = file.readUInt16BE(at);
    at += 2;
    const parts: Buffer[] = [];
    for (let e = 0; e < extents; e++) {
      if (indexSize > 0) readN(indexSize);
      const offset = readN(offsetSize);
      const length = readN(lengthSize);
      if (base + offset + length > file.length) return null;
      parts.push(file.subarray(base + offset, base + offset + length));
    }
    // Only data in this file, by offset (not in idat, not in another file).
    if (id === wanted) return method === 0 && dataReference === 0 && parts.length > 0 ? Buffer.concat(parts) : null;
  }
  return null;
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const header = Buffer.alloc(8);
  const body = Buffer.concat(parts);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

const u16 = (v: number) => Buffer.from([v >> 8, v & 255]);
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
};

/** A HEIF file of one image: the thumbnail's item, its properties (all of ipco kept, so indexes stay) and data. */
function standalone(
  file: Buffer,
  parts: { ftyp: Box; hdlr: Box; ipco: Box; ipma: Box; infe: Box; entry: Buffer; id: number; data: Buffer },
): Buffer {
  const slice = (b: Box) => file.subarray(b.start, b.end);
  const fullBox = (type: string, ...body: Buffer[]) => box(type, u32(0), ...body);
  const ipma = box('ipma', file.subarray(parts.ipma.body, parts.ipma.body + 4), u32(1), parts.entry);
  const iprp = box('iprp', slice(parts.ipco), ipma);
  const build = (dataOffset: number) =>
    box(
      'meta',
      u32(0),
      slice(parts.hdlr),
      fullBox('pitm', u16(parts.id)),
      fullBox('iinf', u16(1), slice(parts.infe)),
      // iloc version 0: 4-byte offsets and lengths, no base offset; one item of one extent.
      fullBox('iloc', Buffer.from([0x44, 0x00]), u16(1), u16(parts.id), u16(0), u16(1), u32(dataOffset), u32(parts.data.length)),
      iprp,
    );
  const head = slice(parts.ftyp).length;
  const meta = build(head + build(0).length + 8);
  return Buffer.concat([slice(parts.ftyp), meta, box('mdat', parts.data)]);
}
