/**
 * Runtime validation of every request of the contract (preload/contract.ts). Objects are strict
 * (unknown keys are refused), numbers are bounded, strings have a length limit, and paths must be
 * absolute. The `satisfies` clause makes the compiler check that each schema produces exactly the
 * request type of its call, so the two cannot drift apart.
 */
import path from 'node:path';
import { z } from 'zod';
import { MAX_IMAGE_BYTES, type CallName, type Req } from '../../preload/contract.js';

const MAX_IDS = 10_000;
const MAX_TAGS = 100;

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const ids = z.array(id).max(MAX_IDS);
const someIds = z.array(id).min(1).max(MAX_IDS);
const empty = z.object({}).strict();

/** An absolute path without NUL bytes, of a sane length, on this platform. */
export const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte')
  .refine((p) => path.isAbsolute(p), 'path must be absolute');

const tag = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((t) => !/[\u0000-\u001f]/.test(t), 'tag contains control characters');
const tags = z.array(tag).min(1).max(MAX_TAGS);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value); // 2023-02-30 is not March 2
  }, 'not a date on the calendar');
const sort = z.enum(['date', 'name', 'added']);
const order = z.enum(['asc', 'desc']);
const k = z.number().int().min(1).max(500);

const photoQuery = z
  .object({
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
    folder: absolutePath.optional(),
    sort: sort.optional(),
    order: order.optional(),
  })
  .strict();

/** An image file's bytes (never base64: see UPLOAD_FIELD in the contract). */
const imageBytes = z
  .instanceof(Uint8Array, { message: "expected the image's bytes" })
  .refine((bytes) => bytes.byteLength > 0, 'the image is empty')
  .refine((bytes) => bytes.byteLength <= MAX_IMAGE_BYTES, `the image is over ${MAX_IMAGE_BYTES / (1 << 20)} MB`);

const tier = z.enum(['exact', 'near', 'similar']);

export const requestSchemas = {
  appInfo: empty,
  status: empty,
  listPhotos: photoQuery,
  timeline: z
    .object({ folder: absolutePath.optional(), sort: sort.optional(), order: order.optional() })
    .strict(),
  photo: z.object({ id }).strict(),
  photos: z.object({ ids }).strict(),
  folders: empty,
  similar: z.object({ ids: someIds.max(100), k: k.optional() }).strict(),
  similarToImage: z.object({ image: imageBytes, k: k.optional() }).strict(),
  dupes: z
    .object({ tiers: z.array(tier).min(1).max(3).optional(), folder: absolutePath.optional() })
    .strict(),
  resolveDupes: z
    .object({
      decisions: z
        .array(z.object({ keep: someIds, trash: someIds }).strict())
        .min(1)
        .max(MAX_IDS)
        .refine(
          (ds) => ds.every((d) => !d.trash.some((t) => d.keep.includes(t))),
          'a photo cannot be both kept and trashed',
        ),
    })
    .strict(),
  undoResolve: empty,
  notDuplicates: z.object({ ids: someIds.min(2) }).strict(),
  clusters: z
    .object({
      folder: absolutePath.optional(),
      minSize: z.number().int().min(1).max(1000).optional(),
      level: z.union([z.enum(['finer', 'default', 'coarser']), z.number().min(0.5).max(2)]).optional(),
    })
    .strict(),
  search: z
    .object({
      text: z.string().max(500).optional(),
      folder: absolutePath.optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
      tags: z.array(tag).max(MAX_TAGS).optional(),
      like: ids.max(100).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      offset: z.number().int().min(0).optional(),
    })
    .strict(),
  tags: empty,
  tag: z.object({ ids: someIds, tags }).strict(),
  untag: z.object({ ids: someIds, tags }).strict(),
  caption: z.object({ id, text: z.string().max(2000).refine((t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(t), 'caption contains control characters') }).strict(),
  people: empty,
  person: z.object({ id }).strict(),
  namePerson: z.object({ id, name: z.string().max(200).refine((t) => !/[\u0000-\u001f]/.test(t), 'name contains control characters') }).strict(),
  mergePeople: z.object({ ids: z.array(id).min(2).max(1000) }).strict(),
  removeFace: z.object({ faceId: id }).strict(),
  photoFaces: z.object({ id }).strict(),
  setFaceRecognition: z.object({ enabled: z.boolean() }).strict(),
  roots: empty,
  // Any text: the handler explains in plain words what is wrong with it (folders.ts).
  addRoot: z.object({ path: z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'path contains a NUL byte') }).strict(),
  removeRoot: z.object({ path: absolutePath }).strict(),
  startIndexing: empty,
  cancelIndexing: empty,
  settings: empty,
  updateSettings: z
    .object({
      engine: z.enum(['auto', 'onnx', 'tfjs']).optional(),
      duplicates: z
        .object({
          near: z.number().min(0.05).max(0.5).optional(),
          similarCosine: z.number().min(0.5).max(0.999).optional(),
          similarSeconds: z.number().int().min(1).max(86_400).optional(),
        })
        .strict()
        .optional(),
      clusters: z
        .object({
          minSize: z.number().int().min(1).max(1000).optional(),
        })
        .strict()
        .optional(),
      similarCount: k.optional(),
      referenceFolders: z.array(absolutePath).max(100).optional(),
    })
    .strict(),
  suggestTags: z.object({ prefix: z.string().max(64), limit: z.number().int().min(1).max(50).optional() }).strict(),
  things: z.object({ limit: z.number().int().min(1).max(200).optional() }).strict(),
  checkDatabase: empty,
  databaseCheck: empty,
  photoMenu: z.object({ ids: someIds.max(1000) }).strict(),
  pickFolder: empty,
  reveal: z.object({ id }).strict(),
} satisfies { [K in CallName]: z.ZodType<Req<K>> };

/** Turns zod's issues into one short line ("ids.0: expected number"). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ` : '') + issue.message)
    .join('; ');
}
