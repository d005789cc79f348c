/**
 * Just enough of an ICC profile to tell whether it is sRGB: its colour space and description.
 * Most camera and editor JPEGs that embed a profile embed sRGB, and converting sRGB to sRGB is a
 * no-op that still cost ~20 ms per photo in libvips/lcms (measured on ferrari-100, where 13 of 14
 * profiled photos say "sRGB IEC61966-2.1"), more than the rest of the decode.
 */

/** The profile's description ('desc' tag: ICC v2 text or v4 multi-localised Unicode), or null. */
export function iccDescription(icc: Buffer): string | null {
  try {
    const tagCount = icc.readUInt32BE(128);
    for (let i = 0; i < tagCount; i++) {
      const entry = 132 + i * 12;
      if (icc.toString('latin1', entry, entry + 4) !== 'desc') continue;
      const start = icc.readUInt32BE(entry + 4);
      const type = icc.toString('latin1', start, start + 4);
      if (type === 'desc') {
        const length = icc.readUInt32BE(start + 8); // ASCII count, including the final NUL
        return icc.toString('latin1', start + 12, start + 12 + length).replace(/\0[\s\S]*$/, '');
      }
      if (type === 'mluc') {
        // First record: language(2) country(2) length(4) offset(4, from the tag's start); UTF-16BE.
        const length = icc.readUInt32BE(start + 20);
        const offset = icc.readUInt32BE(start + 24);
        const text = Buffer.from(icc.subarray(start + offset, start + offset + length));
        return text.swap16().toString('utf16le').replace(/\0[\s\S]*$/, '');
      }
      return null;
    }
  } catch {
    // a truncated or malformed profile reads as "unknown"
  }
  return null;
}

/** True for an RGB profile that names itself sRGB ("sRGB IEC61966-2.1", "sRGB built-in", …). */
export function isSrgbProfile(icc: Buffer | undefined): boolean {
  if (!icc || icc.length < 132 || icc.toString('latin1', 16, 20) !== 'RGB ') return false;
  return /^sRGB\b/i.test(iccDescription(icc)?.trim() ?? '');
}
