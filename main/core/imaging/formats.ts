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
