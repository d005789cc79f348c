import type { LikenessClient } from './client';
import { createElectronClient } from './electron-client';
import { createHttpClient } from './http-client';

export * from './client';

/** The preload's bridge when running in the desktop app, HTTP otherwise. */
export function createClient(): LikenessClient {
  return window.likeness ? createElectronClient(window.likeness) : createHttpClient();
}
