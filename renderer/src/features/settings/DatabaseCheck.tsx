/**
 * Settings → "Check library": the full check of the library database (`likeness doctor`), run in
 * a worker thread of the app. Shows its progress and a plain result with what to do; the photos
 * themselves are never touched by it.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { DatabaseCheck as CheckState } from '../../../../preload/contract';
import { useClient } from '../../api/hooks';
import { callKey, useCall } from '../../api/queries';
import { Icon } from '../../components/Icon';
import { formatCount } from '../../components/format';

const POLL_MS = 400;

export function DatabaseCheck() {
  const client = useClient();
  const queries = useQueryClient();
  // Asked again only while a check runs, for its progress.
  const check = useCall('databaseCheck', {}, { refetchInterval: (q) => (q.state.data?.running ? POLL_MS : false) });
  const state = check.data ?? null;
  const [error, setError] = useState<string | null>(null);

  const start = () => {
    setError(null);
    client.call('checkDatabase', {}).then(
      (started: CheckState) => queries.setQueryData(callKey('databaseCheck', {}), started),
      (e: Error) => setError(e.message),
    );
  };
  const p = state?.progress;
  const report = state?.report;

  return (
    <section className="settings-card" data-testid="database-check">
      <h2>Check library</h2>
      <p className="muted small">
        Reads the whole library database and tests every stored photo fingerprint. It can take a minute on a large library; Likeness keeps working meanwhile. Your photos are only read, never changed.
      </p>
      <div>
        <button type="button" className="btn" onClick={start} disabled={state?.running} data-testid="database-check-start">
          <Icon name="refresh" size={16} /> {state?.running ? 'Checking…' : 'Check now'}
        </button>
      </div>
      {state?.running && p && (
        <div className="database-check-progress" data-testid="database-check-progress" aria-live="polite">
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={p.total || 1} aria-valuenow={p.done}>
            <div className={`progress-bar${p.total === 0 ? ' indeterminate' : ''}`} style={{ width: p.total ? `${Math.min(100, (100 * p.done) / p.total)}%` : '30%' }} />
          </div>
          <span className="muted small">
            {p.phase === 'structure' ? 'Checking the database structure…' : `Testing fingerprints: ${p.done.toLocaleString()} of ${p.total.toLocaleString()}`}
          </span>
        </div>
      )}
      {(error || check.error || state?.error) && (
        <p className="warn" role="alert">
          <Icon name="alert" size={14} /> The check could not run: {error ?? check.error?.message ?? state?.error}
        </p>
      )}
      {!state?.running && report && (
        <div className={`database-check-result${report.ok ? ' ok' : ' warn'}`} data-testid="database-check-result" role="status">
          {report.ok ? (
            <p>
              <Icon name="check" size={14} /> The library is sound: structure checked, {formatCount(report.vectorsChecked, 'fingerprint')} tested, nothing damaged.
            </p>
          ) : (
            <>
              <p>
                <Icon name="alert" size={14} />{' '}
                {report.structure.length ? 'The library database is damaged.' : `${formatCount(report.damaged.length, 'photo fingerprint')} ${report.damaged.length === 1 ? 'is' : 'are'} damaged.`}
              </p>
              <ul className="failure-list">
                {report.structure.slice(0, 5).map((s) => (
                  <li key={s}>{s}</li>
                ))}
                {report.damaged.slice(0, 5).map((d) => (
                  <li key={d.path}>
                    <span className="failure-path">{d.path}</span> <span className="muted small">{d.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {report.advice && <p data-testid="database-check-advice">{report.advice}</p>}
          {report.readOnly && <p className="muted small">Read-only: {report.readOnly}.</p>}
          {state?.finishedAt && <p className="muted small">Checked {new Date(state.finishedAt).toLocaleTimeString()}.</p>}
        </div>
      )}
    </section>
  );
}
