/** Reverse image search: photos of the library ranked by similarity to an image from outside it. */
import type { SimilarResult } from '../../../../preload/contract';
import type { ApiFailure } from '../../api';
import type { Route } from '../../app/route';
import { formatBytes, formatCount } from '../../components/format';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState, SkeletonGrid } from '../../components/States';
import { ViewHeader } from '../../components/ViewHeader';
import { RankedGrid } from './RankedGrid';

export interface ImageQuery {
  name: string;
  size: number;
  previewUrl: string;
  result?: SimilarResult;
  error?: ApiFailure;
}

export function ImageSearchView({ query, onPick, navigate }: { query: ImageQuery | null; onPick: () => void; navigate: (r: Route) => void }) {
  if (!query) {
    return (
      <div className="view" data-testid="image-search-view">
        <ViewHeader title="Search by image" />
        <div className="view-body">
          <EmptyState
            icon="image-search"
            title="Drop an image anywhere"
            action={
              <button type="button" className="btn primary" onClick={onPick}>
                <Icon name="upload" /> Choose an image…
              </button>
            }
          >
            Drag a photo from your desktop onto this window, paste one (Ctrl+V), or choose a file, to find the most similar photos in your library.
          </EmptyState>
        </div>
      </div>
    );
  }
  return (
    <div className="view" data-testid="image-search-view">
      <ViewHeader
        title="Similar to your image"
        subtitle={query.result ? `${formatCount(query.result.results.length, 'result')}, most similar first` : 'Searching…'}
        leading={
          <button type="button" className="icon-btn" aria-label="Back" onClick={() => navigate({ view: 'library' })}>
            <Icon name="arrow-left" />
          </button>
        }
      >
        <div className="query-card">
          <img src={query.previewUrl} alt="" />
          <div>
            <div className="query-name" title={query.name}>{query.name}</div>
            <div className="muted small">{formatBytes(query.size)}</div>
          </div>
          <button type="button" className="btn small" onClick={onPick}>
            <Icon name="upload" size={14} /> Another
          </button>
        </div>
      </ViewHeader>
      <div className="view-body">
        {query.error ? (
          <ErrorState error={query.error} title="This image could not be searched" />
        ) : !query.result ? (
          <SkeletonGrid />
        ) : query.result.results.length === 0 ? (
          <EmptyState icon="sparkles" title="No similar photos">Nothing in the library looks like this image.</EmptyState>
        ) : (
          <RankedGrid results={query.result.results} similarCount={query.result.similarCount} label="Similar to your image" />
        )}
      </div>
    </div>
  );
}
