/**
 * People on real faces (lfw-people-dev, under neutral file names): faces are found at index
 * time, clustered into people without wrong merges, `likeness people --json` keeps its shape,
 * names are searchable, and names, merges and "not this person" survive re-clustering and
 * re-indexing under a new face model; turning face recognition off deletes every face.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import { DATASETS, tempDir } from '../helpers/datasets.js';
import { runCli } from '../helpers/cli.js';

const LFW = path.join(DATASETS, 'lfw-people-dev');
/** Four people, four photos each. */
const PEOPLE = ['Al_Gore', 'Amelie_Mauresmo', 'Alvaro_Uribe', 'Ana_Palacio'];
const ENV = { ...process.env, LIKENESS_ANNOTATE: 'off', LIKENESS_FACES: 'on' };

describe('people', { timeout: 900_000 }, () => {
  const root = tempDir('likeness-people-');
  const photos = path.join(root, 'photos');
  const db = path.join(root, 'library.db');
  const who = new Map<string, string>();
  const cli = (...args: string[]) => runCli([...args, '--db', db], { env: ENV });
  const peopleJson = async () => {
    const r = await cli('people', '--json');
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as { id: number; name: string | null; paths: string[]; faces: { path: string; box: number[] }[] }[];
  };

  before(async () => {
    fs.mkdirSync(photos);
    let n = 0;
    for (const person of PEOPLE) {
      for (const name of fs.readdirSync(path.join(LFW, person)).sort().slice(0, 4)) {
        const target = path.join(photos, `IMG_${String(++n).padStart(4, '0')}.jpg`);
        fs.copyFileSync(path.join(LFW, person, name), target);
        who.set(target, person);
      }
    }
    const r = await cli('index', photos);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Annotated 16 photos \(faces\)/);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('`people --json`: people of 2+ photos, biggest first, never two people mixed', async () => {
    const people = await peopleJson();
    assert.ok(people.length >= 3, `${people.length} people found`);
    for (const p of people) {
      assert.equal(typeof p.id, 'number');
      assert.equal(p.name, null);
      assert.ok(p.paths.length >= 2);
      assert.ok(p.paths.every((f) => path.isAbsolute(f) && who.has(f)));
      assert.equal(new Set(p.paths.map((f) => who.get(f))).size, 1, `one person: ${p.paths.map((f) => who.get(f))}`);
      for (const f of p.faces) {
        assert.ok(p.paths.includes(f.path));
        assert.equal(f.box.length, 4);
        assert.ok(f.box.every((v) => v >= 0 && v <= 1));
      }
    }
    for (let i = 1; i < people.length; i++) assert.ok(people[i - 1].paths.length >= people[i].paths.length);
  });

  test('a name is searchable; naming, merging and "not this person" survive re-indexing', async () => {
    let people = await peopleJson();
    const gore = people.find((p) => who.get(p.paths[0]) === 'Al_Gore')!;
    assert.ok(gore, 'Al Gore is found');
    const named = await cli('people', 'name', String(gore.id), 'Grandpa', 'Al');
    assert.equal(named.code, 0, named.stderr);
    const search = await runCli(['search', 'grandpa', '--json', '--db', db], { env: ENV });
    assert.equal(search.code, 0, search.stderr);
    const hits = (JSON.parse(search.stdout) as { path: string }[]).map((h) => h.path).sort();
    assert.deepEqual(hits, [...gore.paths].sort());

    // Merge two other people (a user's "these are one"), and take one photo out of Al.
    const [a, b] = people.filter((p) => p.id !== gore.id);
    assert.equal((await cli('people', 'merge', String(a.id), String(b.id))).code, 0);
    const library = Library.open({ dbPath: db, annotate: false, faces: true });
    try {
      const al = library.people().person(gore.id);
      const out = al.faces[0];
      library.people().removeFace(out.id);
      assert.ok(!library.people().person(gore.id).faces.some((f) => f.path === out.path), 'the face left Al');

      // Re-cluster, then re-index every photo under a "new" face model: corrections stay.
      library.people().recluster();
      library.db.prepare("UPDATE face_scans SET model = 'an older face model'").run();
      const summary = await library.annotate();
      assert.equal(summary.annotated, 16);
      const again = library.people().all();
      const al2 = again.find((p) => p.id === gore.id)!;
      assert.equal(al2.name, 'Grandpa Al');
      assert.ok(!al2.paths.includes(out.path), 'not this person is remembered');
      assert.deepEqual(al2.paths, gore.paths.filter((f) => f !== out.path).sort());
      const merged = again.find((p) => p.id === a.id)!;
      assert.deepEqual(merged.paths, [...new Set([...a.paths, ...b.paths])].sort());
      assert.ok(!again.some((p) => p.id === b.id));
    } finally {
      await library.close();
    }
    people = await peopleJson();
    assert.equal(people.find((p) => p.id === gore.id)!.name, 'Grandpa Al');
  });

  test('turning face recognition off deletes every face, descriptor and name', async () => {
    const off = await cli('people', 'off');
    assert.equal(off.code, 0, off.stderr);
    assert.deepEqual(await peopleJson(), []);
    // Faces wanted by the environment: only the user's setting keeps them off.
    const saved = { a: process.env.LIKENESS_ANNOTATE, f: process.env.LIKENESS_FACES };
    Object.assign(process.env, ENV);
    const library = Library.open({ dbPath: db });
    try {
      assert.equal(library.facesOn, false);
      for (const table of ['faces', 'people', 'face_scans', 'face_rejections']) {
        assert.equal((library.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n, 0, table);
      }
      assert.equal((await library.annotate()).annotated, 0, 'no faces are looked for while it is off');
    } finally {
      await library.close();
      for (const [key, value] of [['LIKENESS_ANNOTATE', saved.a], ['LIKENESS_FACES', saved.f]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
