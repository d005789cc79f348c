/**
 * Settings → "Check library": the full check of the library database (`likeness doctor`), run
 * in a worker thread. One check at a time; the renderer starts it and polls its state, which
 * keeps the last finished report.
 */
import type { DatabaseCheck } from '../../preload/contract.js';
import type { HealthReport } from '../core/store/doctor.js';
import { examineDatabaseOffThread } from '../core/store/doctor-thread.js';

export class DatabaseChecker {
  private state: DatabaseCheck = { running: false, progress: null, report: null, error: null, startedAt: null, finishedAt: null };

  constructor(private readonly dbPath: string) {}

  snapshot(): DatabaseCheck {
    return structuredClone(this.state);
  }

  /** Starts a check unless one is running; answers at once. */
  start(): DatabaseCheck {
    if (this.state.running) return this.snapshot();
    this.state = { ...this.state, running: true, progress: { phase: 'structure', done: 0, total: 0 }, error: null, startedAt: Date.now(), finishedAt: null };
    examineDatabaseOffThread(this.dbPath, (progress) => {
      this.state.progress = progress;
    }).then(
      (report) => this.finish(toCheckReport(report), null),
      (error: unknown) => this.finish(null, error instanceof Error ? error.message : String(error)),
    );
    return this.snapshot();
  }

  /** Keeps the finished check (a failed one keeps the previous report beside its error). */
  private finish(report: DatabaseCheck['report'], error: string | null): void {
    this.state = { ...this.state, running: false, progress: null, report: report ?? this.state.report, error, finishedAt: Date.now() };
  }
}

function toCheckReport(r: HealthReport): NonNullable<DatabaseCheck['report']> {
  return {
    ok: r.ok,
    structure: r.structure.slice(0, 20),
    vectorsChecked: r.vectors.checked,
    damaged: r.vectors.damaged.slice(0, 50),
    advice: r.advice,
    ...(r.readOnly ? { readOnly: r.readOnly } : {}),
  };
}
