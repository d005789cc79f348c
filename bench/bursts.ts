/**
 * `npm run bench -- bursts`: the similar-shot tier on a burst set (tests/helpers/burst-set.ts):
 * bursts of a virtual camera over real photos, EXIF times seconds apart, beside the same place on
 * another day and other photos of the same kind of thing (some the same day, some with no time).
 * Each part is indexed once through the real Library; `dupes --tier similar` is run with the
 * defaults and over a grid of the similar-shot rule (cosine with a time, time gap, cosine with no
 * time), reporting pairwise precision and recall of "one moment", what wrongly joined, and
 * whether the suggested keeper of a burst is a sharp shot. Tuning and held-out parts apart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../main/core/library.js';
import { pairwiseScores } from '../main/core/eval/metrics.js';
import { makeBurstSet, type BurstFile, type BurstPart } from '../tests/helpers/burst-set.js';
import { DEFAULT_THRESHOLDS, type DuplicateThresholds } from '../main/core/duplicates/thresholds.js';

export interface BurstScore {
  precision: number;
  recall: number;
  /** Photos of another moment in a burst's group, by role. */
  intruders: Record<string, number>;
  /** Burst groups whose keeper is the shaken (blurred) shot. */
  blurredKept: number;
  burstGroups: number;
  reasons: string[];
}

export async function scoreBursts(library: Library, files: BurstFile[]): Promise<BurstScore> {
  const { groups } = await library.dupes({ tier: 'similar' });
  const byPath = new Map(files.map((f) => [f.path, f]));
  const scores = pairwiseScores(
    groups.map((g) => g.paths.filter((p) => byPath.has(p))),
    files.map((f) => f.path),
    (p) => byPath.get(p)!.moment,
  );
  const intruders: Record<string, number> = {};
  let blurredKept = 0;
  let burstGroups = 0;
  const reasons: string[] = [];
  for (const g of groups) {
    const members = g.paths.map((p) => byPath.get(p)!).filter(Boolean);
    const moments = new Map<string, number>();
    for (const m of members) moments.set(m.moment, (moments.get(m.moment) ?? 0) + 1);
    const main = [...moments].sort((a, b) => b[1] - a[1])[0]?.[0];
    for (const m of members) if (m.moment !== main) intruders[m.role] = (intruders[m.role] ?? 0) + 1;
    if (main?.endsWith('-burst')) {
      burstGroups++;
      if (byPath.get(g.keeper)?.role === 'blurred-burst') blurredKept++;
      reasons.push(g.keeperReason);
    }
  }
  return { precision: scores.precision, recall: scores.recall, intruders, blurredKept, burstGroups, reasons };
}

const describe = (s: BurstScore) =>
  `P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)}; wrongly joined: ${Object.entries(s.intruders).map(([r, c]) => `${r} ×${c}`).join(', ') || 'none'}; ` +
  `burst groups ${s.burstGroups}, keeper the shaken shot in ${s.blurredKept}`;

export async function benchBursts(parts: BurstPart[] = ['tune', 'held']): Promise<string[]> {
  const lines: string[] = [];
  for (const part of parts) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `likeness-bench-bursts-${part}-`));
    try {
      const files = await makeBurstSet(part, path.join(dir, 'photos'));
      const library = Library.open({ dbPath: path.join(dir, 'lib.db') });
      try {
        await library.index([path.join(dir, 'photos')]);
        const name = part === 'tune' ? 'tuning' : 'held-out';
        const defaults = await scoreBursts(library, files);
        lines.push(`bursts ${name} (${files.length} photos, ${files.filter((f) => f.role.includes('burst')).length} burst shots): defaults ${describe(defaults)}`);
        lines.push(`bursts ${name}: keeper reasons: ${[...new Set(defaults.reasons)].slice(0, 3).join(' | ')}`);
        if (part === 'tune') {
          for (const similarCosine of [0.55, 0.6, 0.65, 0.7, 0.8]) {
            for (const similarSeconds of [60]) {
              for (const similarCosineNoTime of [0.9, 0.95]) {
                const patch: Partial<DuplicateThresholds> = { similarCosine, similarSeconds, similarCosineNoTime };
                library.setDuplicateThresholds(patch);
                lines.push(`bursts tuning grid cosine ${similarCosine} within ${similarSeconds} s, no time ${similarCosineNoTime}: ${describe(await scoreBursts(library, files))}`);
              }
            }
          }
          const { similarCosine, similarSeconds, similarCosineNoTime } = DEFAULT_THRESHOLDS;
          library.setDuplicateThresholds({ similarCosine, similarSeconds, similarCosineNoTime });
        }
      } finally {
        await library.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return lines;
}
