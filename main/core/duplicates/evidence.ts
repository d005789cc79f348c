/**
 * What a duplicate group says about each member: which signals matched, in plain words.
 */
import type { DuplicateThresholds } from './thresholds.js';
import type { DupeFile, DupeTier, PairEvidence } from './find-duplicates.js';
import { Rel, type Judgement } from './judgement.js';

export function exactEvidence(a: DupeFile, b: DupeFile): PairEvidence {
  return {
    a: a.id,
    b: b.id,
    relation: 'exact',
    cosine: null,
    dhash: null,
    phash: null,
    distance: 0,
    alignment: null,
    secondsApart: null,
    label: `identical content (SHA-1 ${a.contentHash?.slice(0, 12)}…)`,
  };
}

export function pairEvidence(a: DupeFile, b: DupeFile, j: Judgement, t: DuplicateThresholds): PairEvidence {
  const parts: string[] = [];
  if (!Number.isNaN(j.cosine)) parts.push(`CNN cosine ${j.cosine.toFixed(3)}`);
  parts.push(`dHash ${j.dh}/64`, `pHash ${j.ph}/64`);
  let relation: DupeTier = 'near';
  if (j.rel === Rel.Near) {
    if (!Number.isNaN(j.distance)) parts.push(`distance ${j.distance.toFixed(3)}`);
    if (j.alignment !== null) {
      parts.push(`thumbnails align${j.mirrored ? ' mirrored' : ''}${j.pose ? ' once turned' : ''}${j.inset ? ', one inside the other' : ''}, fine detail correlates at ${j.alignment.toFixed(3)} (≥ ${t.alignmentDetail})`);
    }
    else if (!Number.isNaN(j.distance)) parts.push(`≤ ${j.distance <= t.nearSure ? t.nearSure : t.near}`);
  } else {
    relation = 'similar';
    if (j.seconds !== null) parts.push(`taken ${formatSeconds(j.seconds)} apart`);
    else parts.push('no EXIF time');
  }
  return {
    a: a.id,
    b: b.id,
    relation,
    cosine: Number.isNaN(j.cosine) ? null : j.cosine,
    dhash: j.dh,
    phash: j.ph,
    distance: Number.isNaN(j.distance) ? null : j.distance,
    alignment: j.alignment,
    secondsApart: j.seconds,
    label: `${relation === 'near' ? 'same picture re-encoded or edited' : 'similar shot'}: ${parts.join(', ')}`,
  };
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
