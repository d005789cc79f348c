/**
 * Things: what the object detector found across the library (its most frequent automatic tags),
 * each as a card with the photo it was surest about and a count; a card searches for its tag.
 * While annotation is still running it says how far it has come (rate and time left), and looks
 * again every few seconds.
 */
import { useRef } from 'react';
import type { ThingsAnswer } from '../../../../preload/contract';
import { thumbUrl } from '../../api';
import { useCall } from '../../api/queries';
import type { Route } from '../../app/route';
import { formatCount, formatRate, formatTimeLeft } from '../../components/format';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState, SkeletonGrid } from '../../components/States';
import { ViewHeader } from '../../components/ViewHeader';

const POLL_MS = 3000;

/** Annotation is on and photos are still waiting to be looked at. */
function isAnnotating(annotation: ThingsAnswer['annotation'] | undefined): annotation is ThingsAnswer['annotation'] {
  return !!annotation && annotation.enabled && annotation.pending > 0;
}

export function ThingsView({ navigate }: { navigate: (r: Route) => void }) {
  // Asked again on library changes (api/live.ts), and every few seconds while annotation runs.
  const query = useCall('things', {}, { refetchInterval: (q) => (isAnnotating(q.state.data?.annotation) ? POLL_MS : false) });
  const annotation = query.data?.annotation;
  const annotating = isAnnotating(annotation);
  const rate = useRate(annotation?.annotated);

  const things = query.data?.things ?? [];
  const total = annotation ? annotation.annotated + annotation.pending : 0;
  const progress = isAnnotating(annotation) && (
    <div className="things-progress" data-testid="things-progress" aria-live="polite">
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={annotation.annotated}>
        <div className="progress-bar" style={{ width: `${total ? (100 * annotation.annotated) / total : 0}%` }} />
      </div>
      <span className="muted small">
        Looking for things in your photos: {annotation.annotated.toLocaleString()} of {total.toLocaleString()}
        {rate > 0 ? ` · ${formatRate(rate, 'photos')} · ${formatTimeLeft(annotation.pending / rate)}` : ' · estimating time left…'}
      </span>
    </div>
  );

  let body;
  if (query.error && !query.data) body = <ErrorState error={query.error} onRetry={query.reload} title="Things could not be listed" />;
  else if (!query.data) body = <SkeletonGrid count={12} />;
  else if (things.length === 0)
    body = (
      <EmptyState icon="sparkles" title={annotating ? 'Finding things in your photos…' : 'No things found yet'} testId="things-empty" action={progress || undefined}>
        {!annotation?.enabled
          ? 'Automatic tags are off for this library (LIKENESS_ANNOTATE=off, or the library is read-only), so no objects are looked for.'
          : annotating
            ? 'Objects found in your photos (dogs, cars, pizza…) appear here as each photo is looked at.'
            : 'No objects were recognised in the indexed photos. Add folders in Settings to find more.'}
      </EmptyState>
    );
  else
    body = (
      <>
        {progress}
        <div className="cluster-grid" data-testid="things-grid">
          {things.map((t) => (
            <button
              key={t.tag}
              type="button"
              className="cluster-card"
              onClick={() => navigate({ view: 'search', q: t.tag })}
              data-testid="thing-card"
              aria-label={`${t.tag}, ${formatCount(t.count, 'photo')}`}
            >
              <div className="cluster-mosaic n1">
                <img className="main" src={thumbUrl(t.cover.id)} alt="" loading="lazy" />
              </div>
              <div className="cluster-info">
                <span className="cluster-title">{t.tag}</span>
                <span className="cluster-count">{formatCount(t.count, 'photo')}</span>
              </div>
            </button>
          ))}
        </div>
      </>
    );

  return (
    <div className="view" data-testid="things-view">
      <ViewHeader title="Things" subtitle={query.data ? `${formatCount(things.length, 'kind')} of things found in your photos` : ' '}>
        <button type="button" className="btn" onClick={query.reload} title="Look again">
          <Icon name="refresh" size={16} /> Refresh
        </button>
      </ViewHeader>
      <div className="view-body scroll">{body}</div>
    </div>
  );
}

/** Photos annotated per second, from the counts seen since the view opened. */
function useRate(annotated: number | undefined): number {
  const first = useRef<{ at: number; count: number } | null>(null);
  if (annotated === undefined) return 0;
  const now = performance.now();
  if (!first.current) first.current = { at: now, count: annotated };
  const seconds = (now - first.current.at) / 1000;
  return seconds > 1 ? (annotated - first.current.count) / seconds : 0;
}
