/**
 * Just enough of the HEIF container (ISO BMFF boxes) to reach a HEIC's embedded thumbnail.
 *
 * Phones store a small thumbnail (iPhone: 320×240 for a 4032×3024 photo) as its own HEVC image
 * beside the primary one. Decoding it instead of the 12-megapixel primary is ~100× less work, and
 * it is still larger than our working copy needs (224² CNN input, 256 px thumbnail). Decoders
 * (the command-line heif-convert, the WebAssembly heic-decode) only decode the primary image, so we
 * make a copy of the file whose primary-item box ('pitm') names the thumbnail instead, whose
 * thumbnail reference ('thmb') no longer marks it as one, and whose full-size image is hidden (both
 * decoders decode every visible top-level image). The patches keep every length: the box tree
 * stays valid and nothing else moves. The user's file is never written.
 */

interface Box {
  type: string;
  /** Offset of the box's first byte, and of its payload (after size/type/largesize). */
  start: number;
  body: number;
  end: number;
}

function* boxes(bytes: Buffer, from: number, to: number): Generator<Box> {
  let at = from;
  while (at + 8 <= to) {
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > to) return;
      size = Number(bytes.readBigUInt64BE(at + 8));
      body = at + 16;
    } else if (size === 0) {
      size = to - at; // runs to the end of its parent
    }
    if (size < body - at || at + size > to) return; // damaged: stop rather than read past it
    yield { type, start: at, body, end: at + size };
    at += size;
  }
}

function child(bytes: Buffer, parent: { body: number; end: number }, type: string, fullBox: boolean): Box | undefined {
  for (const box of boxes(bytes, parent.body + (fullBox ? 4 : 0), parent.end)) if (box.type === type) return box;
  return undefined;
}

/**
 * A copy of a HEIF file in which its thumbnail is the primary image, or null when the file has no
 * thumbnail of its primary image (or a layout we do not read).
 */
export function withThumbnailAsPrimary(bytes: Buffer): Buffer | null {
  const meta = [...boxes(bytes, 0, bytes.length)].find((b) => b.type === 'meta');
  if (!meta) return null;
  const pitm = child(bytes, meta, 'pitm', true);
  const iref = child(bytes, meta, 'iref', true);
  const iinf = child(bytes, meta, 'iinf', true);
  if (!pitm || !iref || !iinf) return null;
  const pitmWide = bytes[pitm.body] !== 0; // version 1: 32-bit item ids
  const primary = pitmWide ? bytes.readUInt32BE(pitm.body + 4) : bytes.readUInt16BE(pitm.body + 4);
  const irefWide = bytes[iref.body] !== 0;
  const readId = (at: number) => (irefWide ? bytes.readUInt32BE(at) : bytes.readUInt16BE(at));
  const idSize = irefWide ? 4 : 2;
  for (const ref of boxes(bytes, iref.body + 4, iref.end)) {
    if (ref.type !== 'thmb') continue;
    const from = readId(ref.body);
    const count = bytes.readUInt16BE(ref.body + idSize);
    const targets = Array.from({ length: count }, (_, i) => readId(ref.body + idSize + 2 + i * idSize));
    if (!targets.includes(primary)) continue;
    if (!pitmWide && from > 0xffff) return null;
    const primaryInfe = itemInfo(bytes, iinf, primary);
    if (primaryInfe === undefined) return null;
    const copy = Buffer.from(bytes);
    copy[primaryInfe.body + 3] |= 1; // infe flags bit 0: hidden
    if (pitmWide) copy.writeUInt32BE(from, pitm.body + 4);
    else copy.writeUInt16BE(from, pitm.body + 4);
    copy.write('xxxx', ref.start + 4, 'latin1'); // an unknown reference type, skipped by readers
    return copy;
  }
  return null;
}

/** The 'infe' box of an item (versions 2 and 3, the only ones HEIF uses). */
function itemInfo(bytes: Buffer, iinf: Box, id: number): Box | undefined {
  const countSize = bytes[iinf.body] === 0 ? 2 : 4;
  for (const infe of boxes(bytes, iinf.body + 4 + countSize, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const version = bytes[infe.body];
    if (version < 2) continue;
    const itemId = version === 2 ? bytes.readUInt16BE(infe.body + 4) : bytes.readUInt32BE(infe.body + 4);
    if (itemId === id) return infe;
  }
  return undefined;
}
