/** Display formatting shared by the views. Pure (no React, no DOM): unit-tested under Node. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  // Up a unit once the shown number would round to 1024 (1023.7 KB reads "1.0 MB", not "1024 KB").
  while (v >= 1023.5 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatDate(iso: string | null, mtimeMs?: number): string {
  const d = iso ? new Date(iso) : mtimeMs !== undefined ? new Date(mtimeMs) : null;
  if (!d || Number.isNaN(d.getTime())) return 'Unknown date';
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(iso: string | null, mtimeMs?: number): string {
  const d = iso ? new Date(iso) : mtimeMs !== undefined ? new Date(mtimeMs) : null;
  if (!d || Number.isNaN(d.getTime())) return 'Unknown date';
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating…';
  // Rounded once, then split: 59.6 s reads "1 min" and 7,199 s "2 h 0 min" (not "60 s", "1 h 60 min").
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The time left of a job, as the progress cards say it. */
export function formatTimeLeft(seconds: number | null): string {
  return seconds === null ? 'Estimating time left…' : `${formatDuration(seconds)} left`;
}

/** How fast a job goes, to a tenth: '2.5 img/s'. */
export function formatRate(perSecond: number, unit: string): string {
  return `${perSecond.toFixed(1)} ${unit}/s`;
}

export function formatCount(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export function similarityPercent(score: number): string {
  return `${Math.round(Math.max(0, Math.min(1, score)) * 100)}%`;
}

export function baseName(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/** A number with at most one decimal, without a trailing '.0' (2.8, 8, 35, 4.5). */
const oneDecimal = (v: number) => String(Math.round(v * 10) / 10);

/** Shutter time as photographers write it: '1/250 s' below a second, '2 s' or '0.3 s' otherwise. */
export function formatExposureTime(seconds: number | null): string | null {
  if (seconds === null || !(seconds > 0)) return null;
  if (seconds < 1) {
    const denominator = Math.round(1 / seconds);
    // 1/250 is stored as 0.004; 0.3 s is no clean fraction and reads better as it is.
    if (Math.abs(1 / denominator - seconds) / seconds < 0.05) return `1/${denominator} s`;
  }
  return `${oneDecimal(seconds)} s`;
}

export function formatAperture(fNumber: number | null): string | null {
  return fNumber !== null && fNumber > 0 ? `f/${oneDecimal(fNumber)}` : null;
}

export function formatIso(iso: number | null): string | null {
  return iso !== null && iso > 0 ? `ISO ${Math.round(iso)}` : null;
}

export function formatFocalLength(mm: number | null): string | null {
  return mm !== null && mm > 0 ? `${oneDecimal(mm)} mm` : null;
}
