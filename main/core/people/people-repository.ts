/**
 * All SQL of people (migration 0011): which photos still need their faces found, the faces
 * found, clustering them into people, and the user's names and corrections.
 *
 * Corrections are rows, not a replay log: a named or merged person's faces are `pinned` (never
 * moved by clustering), a face taken out of a person keeps a `face_rejections` row, and when a
 * photo's faces are found again (a new face model, or the file changed) each new face inherits
 * the person, pin and rejections of the old face it overlaps.
 */
import type { Db } from '../store/database.js';
import { floatView } from '../store/float-blobs.js';
import { placeFaces, type LooseFace, type PersonSeed } from './cluster.js';
import type { Face } from './faces.js';

type Box = [number, number, number, number];

export interface PersonSummary {
  id: number;
  name: string | null;
  /** Distinct photos the person is in. */
  count: number;
  /** The face shown for the person (its largest). */
  cover: { faceId: number; fileId: number; path: string; box: Box };
}

export interface Person extends PersonSummary {
  paths: string[];
  faces: { id: number; fileId: number; path: string; box: Box }[];
}

export interface PhotoFace {
  id: number;
  box: Box;
  score: number;
  personId: number | null;
  personName: string | null;
}

/** Overlap (intersection over union) of two [x, y, w, h] boxes. */
function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  return inter / (a[2] * a[3] + b[2] * b[3] - inter || 1);
}

const SAME_FACE_IOU = 0.5;
/** Loose faces clustered per pass (a pass compares each with every other and every person). */
const CLUSTER_STEP = 1000;

export class PeopleRepository {
  constructor(private readonly db: Db) {}

  /** Indexed photos whose faces were never found, or found by another model or for other content. */
  pending(model: string, limit: number): { id: number; path: string }[] {
    return this.db
      .prepare(
        `SELECT f.id AS id, f.path AS path FROM files f LEFT JOIN face_scans s ON s.file_id = f.id
         WHERE f.status = 'indexed' AND (s.file_id IS NULL OR s.model != ? OR s.content_hash IS NOT f.content_hash)
         ORDER BY f.id LIMIT ?`,
      )
      .all(model, limit) as { id: number; path: string }[];
  }

  countPending(model: string): number {
    return (
      this.db
        .prepare(
          `SELECT COUNT(*) AS n FROM files f LEFT JOIN face_scans s ON s.file_id = f.id
           WHERE f.status = 'indexed' AND (s.file_id IS NULL OR s.model != ? OR s.content_hash IS NOT f.content_hash)`,
        )
        .get(model) as { n: number }
    ).n;
  }

  /** Stores one photo's faces, replacing earlier ones; corrections carry over to the faces they overlap. */
  save(fileId: number, model: string, result: { contentHash: string; faces: Face[] } | { contentHash: string; error: string }): void {
    this.db.transaction(() => {
      if (!this.db.prepare('SELECT 1 FROM files WHERE id = ?').get(fileId)) return;
      const old = (
        this.db.prepare('SELECT id, box, person_id, pinned FROM faces WHERE file_id = ?').all(fileId) as { id: number; box: string; person_id: number | null; pinned: number }[]
      ).map((r) => ({
        ...r,
        box: JSON.parse(r.box) as Box,
        rejected: (this.db.prepare('SELECT person_id FROM face_rejections WHERE face_id = ?').all(r.id) as { person_id: number }[]).map((x) => x.person_id),
      }));
      this.db.prepare('DELETE FROM faces WHERE file_id = ?').run(fileId);
      this.db
        .prepare(
          `INSERT INTO face_scans (file_id, model, content_hash, error, scanned_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(file_id) DO UPDATE SET model = excluded.model, content_hash = excluded.content_hash, error = excluded.error, scanned_at = excluded.scanned_at`,
        )
        .run(fileId, model, result.contentHash, 'error' in result ? result.error : null, Date.now());
      if ('error' in result) return;
      const insert = this.db.prepare('INSERT INTO faces (file_id, box, score, vector, person_id, pinned) VALUES (?, ?, ?, ?, ?, ?)');
      const reject = this.db.prepare('INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?, ?)');
      for (const face of result.faces) {
        const box = face.box.map((v) => Math.round(v * 1e4) / 1e4) as Box;
        const was = old.filter((o) => iou(o.box, box) >= SAME_FACE_IOU).sort((a, b) => iou(b.box, box) - iou(a.box, box))[0];
        // Only a placement the user made carries over; the rest is clustered afresh with the new descriptor.
        const personId = was?.pinned ? was.person_id : null;
        const id = Number(insert.run(fileId, JSON.stringify(box), face.score, Buffer.from(face.vector.buffer, face.vector.byteOffset, face.vector.byteLength), personId, personId ? 1 : 0).lastInsertRowid);
        for (const p of was?.rejected ?? []) reject.run(id, p);
      }
    })();
  }

  /**
   * Places every face not in a person (new photos, faces taken out) into the person it is
   * most like, or a new one; then drops people left without faces (unless named).
   */
  cluster(): number {
    let placed = 0;
    // A few hundred faces at a time: each pass compares its faces with each other and every person.
    for (;;) {
      const loose = this.db.prepare('SELECT id, vector FROM faces WHERE person_id IS NULL ORDER BY id LIMIT ?').all(CLUSTER_STEP) as { id: number; vector: Buffer }[];
      if (loose.length === 0) return placed;
      this.placeLoose(loose);
      placed += loose.length;
    }
  }

  private placeLoose(loose: { id: number; vector: Buffer }[]): void {
    const rejections = new Map<number, Set<number>>();
    for (const r of this.db.prepare('SELECT face_id, person_id FROM face_rejections').all() as { face_id: number; person_id: number }[]) {
      if (!rejections.has(r.face_id)) rejections.set(r.face_id, new Set());
      rejections.get(r.face_id)!.add(r.person_id);
    }
    const seeds = new Map<number, PersonSeed & { rejects: Set<number> }>();
    const rows = this.db
      .prepare(
        `SELECT f.id AS id, f.person_id AS person, f.vector AS vector, f.pinned AS pinned, p.name IS NOT NULL AS named
         FROM faces f JOIN people p ON p.id = f.person_id`,
      )
      .iterate() as Iterable<{ id: number; person: number; vector: Buffer; pinned: number; named: number }>;
    for (const r of rows) {
      const v = floatView(r.vector);
      let s = seeds.get(r.person);
      if (!s) seeds.set(r.person, (s = { id: r.person, sum: new Float32Array(v.length), count: 0, fixed: false, rejects: new Set() }));
      for (let i = 0; i < v.length; i++) s.sum[i] += v[i];
      s.count++;
      s.fixed ||= Boolean(r.pinned || r.named);
      for (const p of rejections.get(r.id) ?? []) s.rejects.add(p);
    }
    const faces: LooseFace[] = loose.map((r) => ({ id: r.id, vector: floatView(r.vector), rejected: rejections.get(r.id) ?? new Set() }));
    const newPerson = this.db.prepare('INSERT INTO people (name, created_at) VALUES (NULL, ?)');
    const assign = this.db.prepare('UPDATE faces SET person_id = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const group of placeFaces([...seeds.values()], faces)) {
        const person = group.person ?? Number(newPerson.run(Date.now()).lastInsertRowid);
        for (const face of group.faces) assign.run(person, face);
        // Unnamed people found apart that the new faces showed to be one.
        for (const old of group.absorbed) this.db.prepare('UPDATE faces SET person_id = ? WHERE person_id = ?').run(person, old);
      }
      this.dropEmpty();
    })();
  }

  /** Clusters again from scratch, keeping every face the user placed where they placed it. */
  recluster(): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE faces SET person_id = NULL WHERE pinned = 0').run();
      this.dropEmpty();
    })();
    this.cluster();
  }

  private dropEmpty(): void {
    this.db.prepare('DELETE FROM people WHERE name IS NULL AND NOT EXISTS (SELECT 1 FROM faces WHERE person_id = people.id)').run();
  }

  /** People in two photos or more (and every named one), biggest first. */
  list(): PersonSummary[] {
    const rows = this.db
      .prepare(
        `SELECT p.id AS id, p.name AS name, COUNT(DISTINCT f.file_id) AS count FROM people p JOIN faces f ON f.person_id = p.id
         GROUP BY p.id HAVING count >= 2 OR p.name IS NOT NULL ORDER BY count DESC, p.id`,
      )
      .all() as { id: number; name: string | null; count: number }[];
    return rows.map((r) => ({ ...r, cover: this.cover(r.id) }));
  }

  private cover(personId: number): PersonSummary['cover'] {
    const r = this.db
      .prepare(
        `SELECT f.id AS id, f.file_id AS fileId, fl.path AS path, f.box AS box FROM faces f JOIN files fl ON fl.id = f.file_id
         WHERE f.person_id = ? ORDER BY f.pinned DESC, f.score DESC, f.id LIMIT 1`,
      )
      .get(personId) as { id: number; fileId: number; path: string; box: string };
    return { faceId: r.id, fileId: r.fileId, path: r.path, box: JSON.parse(r.box) as Box };
  }

  person(id: number): Person {
    const row = this.db.prepare('SELECT id, name FROM people WHERE id = ?').get(id) as { id: number; name: string | null } | undefined;
    if (!row) throw new Error(`there is no person ${id} (see \`likeness people\` for their ids)`);
    const faces = (
      this.db
        .prepare(`SELECT f.id AS id, f.file_id AS fileId, fl.path AS path, f.box AS box FROM faces f JOIN files fl ON fl.id = f.file_id WHERE f.person_id = ? ORDER BY fl.path, f.id`)
        .all(id) as { id: number; fileId: number; path: string; box: string }[]
    ).map((r) => ({ ...r, box: JSON.parse(r.box) as Box }));
    const paths = [...new Set(faces.map((f) => f.path))];
    return { id: row.id, name: row.name, count: paths.length, cover: faces.length ? this.cover(id) : { faceId: 0, fileId: 0, path: '', box: [0, 0, 0, 0] }, paths, faces };
  }

  /** Names a person (an empty name removes it); the faces it has now are confirmed as theirs. */
  name(id: number, name: string): void {
    this.person(id);
    const clean = name.trim().replace(/\s+/g, ' ');
    this.db.transaction(() => {
      this.db.prepare('UPDATE people SET name = ? WHERE id = ?').run(clean || null, id);
      this.db.prepare('UPDATE faces SET pinned = 1 WHERE person_id = ?').run(id);
    })();
  }

  /** Moves every face of `from` into `into` (confirmed), and forgets `from`. Returns `into`. */
  merge(into: number, from: number): number {
    if (into === from) throw new Error('a person cannot be merged with itself');
    const a = this.person(into);
    const b = this.person(from);
    this.db.transaction(() => {
      this.db.prepare('UPDATE faces SET person_id = ?, pinned = 1 WHERE person_id IN (?, ?)').run(into, into, from);
      if (!a.name && b.name) this.db.prepare('UPDATE people SET name = ? WHERE id = ?').run(b.name, into);
      // A face kept out of either is kept out of the merged person.
      this.db.prepare('UPDATE OR IGNORE face_rejections SET person_id = ? WHERE person_id = ?').run(into, from);
      this.db.prepare('DELETE FROM people WHERE id = ?').run(from);
    })();
    return into;
  }

  /** "Not this person": takes a face out of its person for good; it is placed elsewhere (or alone). */
  removeFace(faceId: number): void {
    const row = this.db.prepare('SELECT person_id FROM faces WHERE id = ?').get(faceId) as { person_id: number | null } | undefined;
    if (!row) throw new Error(`there is no face ${faceId}`);
    this.db.transaction(() => {
      if (row.person_id !== null) this.db.prepare('INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?, ?)').run(faceId, row.person_id);
      this.db.prepare('UPDATE faces SET person_id = NULL, pinned = 0 WHERE id = ?').run(faceId);
    })();
    this.cluster();
  }

  /** Puts a face into a person (confirmed). */
  moveFace(faceId: number, personId: number): void {
    this.person(personId);
    if (!this.db.prepare('UPDATE faces SET person_id = ?, pinned = 1 WHERE id = ?').run(personId, faceId).changes) throw new Error(`there is no face ${faceId}`);
    this.db.prepare('DELETE FROM face_rejections WHERE face_id = ? AND person_id = ?').run(faceId, personId);
    this.dropEmpty();
  }

  /** The faces of one photo, largest first. */
  facesOf(fileId: number): PhotoFace[] {
    return (
      this.db
        .prepare(
          `SELECT f.id AS id, f.box AS box, f.score AS score, f.person_id AS personId, p.name AS personName
           FROM faces f LEFT JOIN people p ON p.id = f.person_id WHERE f.file_id = ?`,
        )
        .all(fileId) as { id: number; box: string; score: number; personId: number | null; personName: string | null }[]
    )
      .map((r) => ({ ...r, box: JSON.parse(r.box) as Box }))
      .sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
  }

  /** Photos a search word reaches through a person's name (any word of the name, by prefix). */
  matches(word: string): Set<number> {
    const w = word.trim().toLowerCase();
    if (!w) return new Set();
    const rows = this.db
      .prepare(
        `SELECT DISTINCT f.file_id AS id, p.name AS name FROM people p JOIN faces f ON f.person_id = p.id WHERE p.name IS NOT NULL AND lower(p.name) LIKE ? ESCAPE '\\'`,
      )
      .all(`%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as { id: number; name: string }[];
    return new Set(rows.filter((r) => r.name.toLowerCase().split(/[\s\-']+/).some((part) => part.startsWith(w)) || r.name.toLowerCase() === w).map((r) => r.id));
  }

  /** Forgets every face, descriptor, person and name (face recognition turned off). */
  deleteAll(): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM face_rejections').run();
      this.db.prepare('DELETE FROM faces').run();
      this.db.prepare('DELETE FROM face_scans').run();
      this.db.prepare('DELETE FROM people').run();
    })();
  }

  counts(): { faces: number; people: number } {
    const faces = (this.db.prepare('SELECT COUNT(*) AS n FROM faces').get() as { n: number }).n;
    return { faces, people: this.list().length };
  }
}
