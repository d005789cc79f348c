/**
 * The indexing card at the foot of the sidebar: while a pass runs it shows the phase, a progress
 * bar, the count, images per second, the time left and the failures so far; when idle it shows
 * the library's failures (if any), each with its reason, in a dialog.
 */
import { useState } from 'react';
import type { LibraryStatus } from '../../../../preload/contract';
import { useClient } from '../../api/hooks';
import { baseName, formatCount, formatRate, formatTimeLeft } from '../../components/format';
import { Icon } from '../../components/Icon';
import { Dialog } from '../../components/Dialog';

const PHASES: Record<string, string> = {
  scanning: 'Scanning folders',
  indexing: 'Indexing photos',
  finishing: 'Finishing up',
  done: 'Done',
};

export function IndexingStatus({ status }: { status: LibraryStatus | undefined }) {
  const client = useClient();
  const [showFailures, setShowFailures] = useState(false);
  if (!status) return null;
  const { indexing } = status;
  const p = indexing.progress;
  const failures = status.failures;
  const running = indexing.running && p;

  if (status.readOnly) {
    return (
      <section className="indexing-card" aria-live="polite" data-testid="read-only-status">
        <div className="indexing-title warn">
          <Icon name="alert" size={14} />
          <span>Read-only library: {status.readOnly}.</span>
        </div>
      </section>
    );
  }
  if (!running && failures.length === 0 && !indexing.error) return null;

  return (
    <section className={`indexing-card${running ? ' running' : ''}`} aria-live="polite" data-testid="indexing-status">
      {running ? (
        <>
          <div className="indexing-title">
            <span className="pulse" />
            <span>{PHASES[p.phase] ?? p.phase}</span>
            <button type="button" className="icon-btn small" title="Stop indexing" aria-label="Stop indexing" onClick={() => void client.call('cancelIndexing')}>
              <Icon name="stop" size={14} />
            </button>
          </div>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={p.total || 1} aria-valuenow={p.done}>
            <div className={`progress-bar${p.total === 0 ? ' indeterminate' : ''}`} style={{ width: p.total ? `${Math.min(100, (100 * p.done) / p.total)}%` : '30%' }} />
          </div>
          <div className="indexing-numbers">
            <span data-testid="indexing-count">
              {p.done.toLocaleString()} / {p.total.toLocaleString()}
            </span>
            <span>{p.imagesPerSecond > 0 ? formatRate(p.imagesPerSecond, 'img') : ''}</span>
          </div>
          <div className="indexing-numbers muted">
            <span data-testid="indexing-eta">{p.phase === 'indexing' ? formatTimeLeft(p.etaSeconds) : ''}</span>
            {p.failed > 0 && <span className="warn">{formatCount(p.failed, 'failure')}</span>}
          </div>
          {p.current && <div className="indexing-current" title={p.current}>{baseName(p.current)}</div>}
        </>
      ) : (
        <>
          {indexing.error && (
            <div className="indexing-title warn">
              <Icon name="alert" size={14} />
              <span>{indexing.error}</span>
              <button type="button" className="icon-btn small" title="Resume indexing" aria-label="Resume indexing" onClick={() => void client.call('startIndexing')}>
                <Icon name="refresh" size={14} />
              </button>
            </div>
          )}
          {failures.length > 0 && (
            <button type="button" className="link-btn warn" onClick={() => setShowFailures(true)} data-testid="failures-link">
              <Icon name="alert" size={14} /> {formatCount(status.failed, 'photo')} could not be read
            </button>
          )}
        </>
      )}
      {showFailures && (
        <Dialog title="Photos that could not be indexed" onClose={() => setShowFailures(false)}>
          <ul className="failure-list">
            {failures.map((f) => (
              <li key={f.path}>
                <span className="failure-path" title={f.path}>
                  {f.path}
                </span>
                <span className="failure-reason">{f.reason}</span>
              </li>
            ))}
          </ul>
        </Dialog>
      )}
    </section>
  );
}
