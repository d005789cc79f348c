/** Which files the library picks up, by extension (the content is checked when decoding). */
export const IMAGE_EXTENSIONS = new Set([
  '.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif',
]);

export function isImagePath(file: string): boolean {
  const dot = file.lastIndexOf('.');
  return dot >= 0 && IMAGE_EXTENSIONS.has(file.slice(dot).toLowerCase());
}

/** Decompression-bomb guard: larger images are refused with a clear reason (100 MP cameras fit). */
export const MAX_INPUT_PIXELS = 250_000_000;

/**
 * HEVC HEIC is decoded whole (libheif in WebAssembly: no shrink on load), at ~12 bytes a pixel
 * (measured: 230 MB for 12 MP, 794 MB for 64 MP, 2.2 GB for a 45 KB file declaring 14000×14000).
 * Larger ones are refused from the header, before anything is decoded; 64 MP (~800 MB) still
 * takes every phone's photos (48 MP at most today).
 */
export const MAX_FULL_DECODE_PIXELS = 64_000_000;
