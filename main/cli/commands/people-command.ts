import { Library } from '../../core/library.js';
import type { Person } from '../../core/people/people-repository.js';
import { dbOption, jsonOption, parse, printJson, UsageError } from '../args.js';

export const usage =
  'likeness people [--json] | people name <id> <name...> | people merge <id> <id> | people unface <face-id> | people off|on [--db FILE]';

function personId(value: string | undefined, what: string): number {
  const id = Number(value);
  if (!value || !Number.isInteger(id) || id <= 0) throw new UsageError(`${what} must be a person's id (a number from \`likeness people\`), not "${value ?? ''}"`);
  return id;
}

/** The contract of `people --json`: people in 2+ photos, biggest first; boxes are fractions [x, y, w, h]. */
function asJson(p: Person) {
  return { id: p.id, name: p.name, paths: p.paths, faces: p.faces.map((f) => ({ path: f.path, box: f.box, faceId: f.id })) };
}

export async function peopleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...dbOption, ...jsonOption });
  const [action, ...rest] = positionals;
  const library = Library.open({ dbPath: values.db });
  try {
    const people = library.people();
    let changed: Person | null = null;
    switch (action) {
      case undefined:
      case 'list': {
        const all = people.all().filter((p) => p.count >= 2);
        if (values.json) printJson(all.map(asJson));
        else if (!library.facesOn) console.log('Face recognition is off (`likeness people on` turns it on; the next `likeness index` finds the faces).');
        else if (all.length === 0) console.log('No people yet (faces are found when photos are indexed).');
        else for (const p of all) console.log(`${String(p.id).padStart(5)}  ${(p.name ?? '(unnamed)').padEnd(24)} ${p.count} photos`);
        return 0;
      }
      case 'name': {
        const id = personId(rest[0], 'the first argument');
        if (rest.length < 2) throw new UsageError('people name needs an id and a name');
        changed = people.name(id, rest.slice(1).join(' '));
        break;
      }
      case 'merge': {
        if (rest.length !== 2) throw new UsageError('people merge needs two ids');
        changed = people.merge(personId(rest[0], 'the first id'), personId(rest[1], 'the second id'));
        break;
      }
      case 'unface': {
        const face = Number(rest[0]);
        if (!Number.isInteger(face) || face <= 0) throw new UsageError('people unface needs a face id (the faceId of `people --json`)');
        people.removeFace(face);
        if (values.json) printJson({ ok: true });
        else console.log(`Face ${face} is no longer in that person.`);
        return 0;
      }
      case 'off':
      case 'on':
        await library.setFaceRecognition(action === 'on');
        console.log(action === 'on' ? 'Face recognition is on: the next `likeness index` finds the faces.' : 'Face recognition is off: every face, descriptor, person and name was deleted.');
        return 0;
      default:
        throw new UsageError(`unknown people action "${action}"`);
    }
    if (values.json) printJson(asJson(changed));
    else console.log(`${changed.id}  ${changed.name ?? '(unnamed)'}: ${changed.count} photos`);
    return 0;
  } finally {
    await library.close();
  }
}
