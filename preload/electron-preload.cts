/**
 * The Electron preload. It runs sandboxed (no Node, `require` limited to 'electron'), so it is a
 * single CommonJS file with no imports of its own code at run time: the list of calls is repeated
 * here, and the compiler checks it against the contract (every call once, nothing else).
 *
 * It exposes one named method per contract call on `window.likeness` through `contextBridge`,
 * each bound to its own channel; the raw `ipcRenderer` never reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CallName, LikenessEvent, PreloadApi } from './contract.js' with { 'resolution-mode': 'import' };

const PREFIX = 'likeness:';
const EVENT_CHANNEL = 'likeness:event';

const calls = {
  appInfo: true,
  status: true,
  listPhotos: true,
  timeline: true,
  photo: true,
  photos: true,
  folders: true,
  similar: true,
  similarToImage: true,
  dupes: true,
  resolveDupes: true,
  undoResolve: true,
  notDuplicates: true,
  clusters: true,
  search: true,
  tags: true,
  tag: true,
  untag: true,
  caption: true,
  people: true,
  person: true,
  namePerson: true,
  mergePeople: true,
  removeFace: true,
  photoFaces: true,
  setFaceRecognition: true,
  roots: true,
  addRoot: true,
  removeRoot: true,
  startIndexing: true,
  cancelIndexing: true,
  settings: true,
  updateSettings: true,
  suggestTags: true,
  things: true,
  checkDatabase: true,
  databaseCheck: true,
  photoMenu: true,
  pickFolder: true,
  reveal: true,
} as const satisfies Record<CallName, true>;

const api: Record<string, unknown> = {};
for (const name of Object.keys(calls) as CallName[]) {
  // Only the request object crosses; the channel is fixed per method.
  api[name] = (req?: unknown) => ipcRenderer.invoke(PREFIX + name, req ?? {});
}

api.onEvent = (listener: (event: LikenessEvent) => void): (() => void) => {
  if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
  const wrapped = (_event: IpcRendererEvent, payload: LikenessEvent) => listener(payload);
  ipcRenderer.on(EVENT_CHANNEL, wrapped);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  };
};

contextBridge.exposeInMainWorld('likeness', Object.freeze(api as unknown as PreloadApi));
