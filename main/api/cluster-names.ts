/**
 * Names that say what a cluster holds, built from what the library knows about its photos: the
 * folder most of them share ("red", or "red & yellow" for two), then, when another cluster would
 * carry the same name, when they were taken ("edits · Jul 2023") and how many they are. Without a
 * dominant folder, the period alone ("Photos from Jul–Sep 2023"). Five clusters once were all
 * called "edits".
 */
import type { PhotoDetail } from '../core/types.js';

export type PhotoOf = (id: number) => PhotoDetail | null;

const SAMPLE = 200;

/** The members a cluster's name is made from (look them up together, with the other clusters'). */
export function namingSample(memberIds: number[]): number[] {
  return memberIds.slice(0, SAMPLE);
}
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function nameClusters(clusters: { memberIds: number[] }[], photoOf: PhotoOf): string[] {
  const facts = clusters.map((c) => factsOf(c.memberIds, photoOf));
  const names = facts.map((f) => f.folder ?? (f.period ? `Photos from ${f.period}` : 'Mixed photos'));
  // Disambiguate names shared by several clusters, one detail at a time.
  const refine = (detail: (i: number) => string | null) => {
    const counts = countOf(names);
    names.forEach((name, i) => {
      if (counts.get(name)! < 2) return;
      const extra = detail(i);
      if (extra && !name.includes(extra)) names[i] = `${name} · ${extra}`;
    });
  };
  refine((i) => (facts[i].folder ? facts[i].period : null));
  refine((i) => `${clusters[i].memberIds.length.toLocaleString()} photos`);
  const seen = new Map<string, number>();
  const counts = countOf(names);
  return names.map((name) => {
    if (counts.get(name)! < 2) return name;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return `${name} (${n})`;
  });
}

function factsOf(ids: number[], photoOf: PhotoOf): { folder: string | null; period: string | null } {
  const photos = namingSample(ids).map(photoOf).filter((p): p is PhotoDetail => p !== null);
  const folders = [...countOf(photos.map((p) => baseName(p.folder))).entries()].sort((a, b) => b[1] - a[1]);
  let folder: string | null = null;
  if (folders[0] && folders[0][1] >= Math.max(2, photos.length * 0.6)) folder = folders[0][0];
  else if (folders.length >= 2 && folders[0][1] + folders[1][1] >= photos.length * 0.8) folder = `${folders[0][0]} & ${folders[1][0]}`;
  const times = photos.map((p) => (p.takenAt ? Date.parse(p.takenAt) : p.mtimeMs)).filter(Number.isFinite).sort((a, b) => a - b);
  return { folder, period: times.length ? period(times[Math.floor(times.length * 0.05)], times[Math.ceil(times.length * 0.95) - 1]) : null };
}

/** "Jul 2023", "Jul–Sep 2023", "Dec 2022–Jan 2023", "2019–2023" (UTC, like the timeline). */
function period(from: number, to: number): string {
  const a = new Date(from);
  const b = new Date(to);
  const [ya, ma, yb, mb] = [a.getUTCFullYear(), a.getUTCMonth(), b.getUTCFullYear(), b.getUTCMonth()];
  if (ya === yb && ma === mb) return `${MONTHS[ma]} ${ya}`;
  if (ya === yb) return `${MONTHS[ma]}–${MONTHS[mb]} ${ya}`;
  if (yb - ya <= 1) return `${MONTHS[ma]} ${ya}–${MONTHS[mb]} ${yb}`;
  return `${ya}–${yb}`;
}

function baseName(folder: string): string {
  return folder.split(/[\\/]/).filter(Boolean).pop() ?? folder;
}

function countOf(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
