/** Display formatting shared by the views. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
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
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  return `${h} h ${Math.round((seconds - h * 3600) / 60)} min`;
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
