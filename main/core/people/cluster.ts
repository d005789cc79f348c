/**
 * People from face descriptors, incrementally and without a number of people given: each face
 * not yet in a person joins the person whose mean descriptor it is most like, if that likeness
 * reaches SAME_PERSON, else it starts a person of its own (a person of one photo is one of the
 * unnamed "others" until a second photo joins it). Faces the user placed stay where they are,
 * and a face is never put back into a person it was taken out of.
 *
 * The threshold favours splitting: a wrong merge mixes two people's photos, which is worse than
 * one person shown twice (the user merges those in one gesture). Measured with
 * `npm run bench -- people` (BCubed precision/recall on lfw-people-dev and composed scenes).
 */

/** Cosine likeness of a face to a person's mean descriptor above which it is that person. */
export const SAME_PERSON = 0.6;

export interface PersonSeed {
  id: number;
  /** Sum of its faces' unit descriptors (the mean's direction). */
  sum: Float32Array;
}

export interface LooseFace {
  id: number;
  vector: Float32Array;
  /** People this face must not join ("not this person"). */
  rejected: ReadonlySet<number>;
}

function cosine(sum: Float32Array, v: Float32Array): number {
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    dot += sum[i] * v[i];
    norm += sum[i] * sum[i];
  }
  return norm > 0 ? dot / Math.sqrt(norm) : 0;
}

/**
 * Places each loose face (in order) into a person: an existing one (`seeds`, updated in place as
 * faces join) or a new one. Returns face id → person id, new people having ids from `newId()`.
 */
export function placeFaces(seeds: PersonSeed[], faces: LooseFace[], newId: () => number, threshold = SAME_PERSON): Map<number, number> {
  const placed = new Map<number, number>();
  for (const face of faces) {
    let best: PersonSeed | null = null;
    let bestSim = threshold;
    for (const p of seeds) {
      if (face.rejected.has(p.id)) continue;
      const sim = cosine(p.sum, face.vector);
      if (sim >= bestSim) {
        bestSim = sim;
        best = p;
      }
    }
    if (!best) {
      best = { id: newId(), sum: new Float32Array(face.vector.length) };
      seeds.push(best);
    }
    for (let i = 0; i < face.vector.length; i++) best.sum[i] += face.vector[i];
    placed.set(face.id, best.id);
  }
  return placed;
}
