/**
 * People (issue 18), as the library offers them: the face recognition setting, the people found
 * and the user's names and corrections. Faces are found by the annotation queue (they share its
 * worker and decode); this is everything else.
 *
 * Privacy: faces, descriptors and names stay in the library's database; turning face
 * recognition off deletes every one of them.
 */
import type { Db } from '../store/database.js';
import { SettingsRepository } from '../store/settings-repository.js';
import { PeopleRepository, type Person, type PersonSummary, type PhotoFace } from './people-repository.js';

const SETTING = 'faces.enabled';

/** LIKENESS_FACES=off (or 0/false) leaves faces alone; unset, faces follow LIKENESS_ANNOTATE. */
export function facesEnabledByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const off = (v: string | undefined) => ['off', '0', 'false', 'no'].includes((v ?? '').toLowerCase());
  if (env.LIKENESS_FACES !== undefined && env.LIKENESS_FACES !== '') return !off(env.LIKENESS_FACES);
  return !off(env.LIKENESS_ANNOTATE);
}

export class People {
  private readonly repo: PeopleRepository;

  constructor(private readonly db: Db) {
    this.repo = new PeopleRepository(db);
  }

  /** The user's setting (on unless turned off). */
  get enabled(): boolean {
    return new SettingsRepository(this.db).get(SETTING) !== 'off';
  }

  /** Turns face recognition on or off; off deletes every face, descriptor, person and name. */
  setEnabled(on: boolean): void {
    this.db.transaction(() => {
      new SettingsRepository(this.db).set(SETTING, on ? 'on' : 'off');
      if (!on) this.repo.deleteAll();
    })();
  }

  list(): PersonSummary[] {
    return this.repo.list();
  }

  person(id: number): Person {
    return this.repo.person(id);
  }

  /** Every person of `list()` with their photos and faces (the CLI's `people --json`). */
  all(): Person[] {
    return this.repo.list().map((p) => this.repo.person(p.id));
  }

  name(id: number, name: string): Person {
    this.repo.name(id, name);
    return this.repo.person(id);
  }

  merge(into: number, from: number): Person {
    return this.repo.person(this.repo.merge(into, from));
  }

  /** "Not this person": the face leaves the person for good and is placed elsewhere. */
  removeFace(faceId: number): void {
    this.repo.removeFace(faceId);
  }

  moveFace(faceId: number, personId: number): void {
    this.repo.moveFace(faceId, personId);
  }

  facesOf(fileId: number): PhotoFace[] {
    return this.repo.facesOf(fileId);
  }

  /** Clusters every face again (placements the user made stay). */
  recluster(): void {
    this.repo.recluster();
  }

  counts(): { faces: number; people: number } {
    return this.repo.counts();
  }
}
