/**
 * The contract's people calls (issue 18) over the core's `People`: cards for the People view,
 * a person's photos, naming, merging, "not this person", a photo's face boxes, and the setting
 * that turns face recognition off (deleting every face).
 */
import type { FaceBox, PeopleAnswer, PersonCard, PersonPhotos, PhotoFaceInfo } from '../../preload/contract.js';
import type { Person, PersonSummary } from '../core/people/people-repository.js';
import type { People } from '../core/people/people.js';
import type { Handlers } from './dispatch.js';
import { notFound } from './errors.js';
import type { CoreLibrary } from './library-port.js';

type PeopleCalls = 'people' | 'person' | 'namePerson' | 'mergePeople' | 'removeFace' | 'photoFaces' | 'setFaceRecognition';

function card(p: PersonSummary): PersonCard {
  return { id: p.id, name: p.name, count: p.count, cover: { photoId: p.cover.fileId, faceId: p.cover.faceId, box: p.cover.box as FaceBox } };
}

function photosOf(p: Person): PersonPhotos {
  return { ...card(p), faces: p.faces.map((f) => ({ photoId: f.fileId, faceId: f.id, box: f.box as FaceBox })) };
}

/** Named people first (by name), then the unnamed by size (the core lists biggest first). */
export function peopleCards(people: PersonSummary[]): PersonCard[] {
  const named = people.filter((p) => p.name).sort((a, b) => a.name!.localeCompare(b.name!));
  const others = people.filter((p) => !p.name && p.count >= 2);
  return [...named, ...others].map(card);
}

export function peopleHandlers(library: CoreLibrary, changed: (reason: string) => void): Pick<Handlers, PeopleCalls> {
  const people = (): People => library.people();
  const personOrThrow = (id: number): Person => {
    try {
      return people().person(id);
    } catch {
      throw notFound(`person ${id}`);
    }
  };
  const photoIdOrThrow = (id: number): number => {
    if (!library.photo(id)) throw notFound(`photo ${id}`);
    return id;
  };
  return {
    people: (): PeopleAnswer => {
      const p = people();
      return { enabled: p.enabled, people: peopleCards(p.list()) };
    },
    person: ({ id }) => photosOf(personOrThrow(id)),
    namePerson: ({ id, name }) => {
      personOrThrow(id);
      const named = people().name(id, name);
      changed('people');
      return card(named);
    },
    mergePeople: ({ ids }) => {
      for (const id of ids) personOrThrow(id);
      const [into, ...rest] = ids;
      let merged: Person = personOrThrow(into);
      for (const from of rest) if (from !== into) merged = people().merge(into, from);
      changed('people');
      return card(merged);
    },
    removeFace: ({ faceId }) => {
      try {
        people().removeFace(faceId);
      } catch {
        throw notFound(`face ${faceId}`);
      }
      changed('people');
      return { ok: true };
    },
    photoFaces: ({ id }): PhotoFaceInfo[] =>
      people().facesOf(photoIdOrThrow(id)).map((f) => ({ faceId: f.id, box: f.box, personId: f.personId, personName: f.personName })),
    setFaceRecognition: async ({ enabled }) => {
      await library.setFaceRecognition(enabled);
      changed('people');
      return { enabled };
    },
  };
}
