/**
 * How the duplicate finder judged a pair of nodes (find-duplicates.ts), shared by the linkage
 * that groups them (linkage.ts) and the evidence that explains them (evidence.ts).
 */
export const enum Rel {
  None = 0,
  Similar = 1,
  Near = 2,
  Check = 3,
}

export interface Judgement {
  rel: Rel;
  cosine: number;
  dh: number;
  ph: number;
  distance: number;
  alignment: number | null;
  mirrored?: boolean;
  seconds: number | null;
  /** The pose of the higher node in which it matches the lower one (views.ts); 0 = upright. */
  pose: number;
  /** Checked as one photo inset in the other (padding, a screenshot): alignment.ts's inset search. */
  inset?: boolean;
  /** Checked in the pose that a third member both are near implies. */
  throughThird?: boolean;
}
