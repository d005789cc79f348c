/** "Find similar" results for one or more photos of the library, ranked, with their similarity. */
import { thumbUrl } from '../../api';
import { useCall } from '../../api/queries';
import { usePhotoActions } from '../../app/photo-actions';
import type { Route } from '../../app/route';
import { formatCount } from '../../components/format';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState, SkeletonGrid } from '../../components/States';
import { ViewHeader } from '../../components/ViewHeader';
import { RankedGrid } from './RankedGrid';

export function SimilarView({ ids, navigate }: { ids: number[]; navigate: (r: Route) => void }) {
  const actions = usePhotoActions();
  const query = useCall('similar', { ids });
  const queries = query.data?.queries ?? [];
  const title = queries.length > 1 ? `More like these ${queries.length} photos` : queries.length === 1 ? `Similar to ${queries[0].name}` : 'Similar photos';

  return (
    <div className="view" data-testid="similar-view">
      <ViewHeader
        title={title}
        subtitle={query.data ? `${formatCount(query.data.results.length, 'result')}, most similar first` : ' '}
        leading={
          <button type="button" className="icon-btn" aria-label="Back" title="Back" onClick={() => history.length > 1 ? history.back() : navigate({ view: 'library' })}>
            <Icon name="arrow-left" />
          </button>
        }
      >
        <div className="query-strip" aria-label="Query photos">
          {queries.slice(0, 6).map((q, i) => (
            <button type="button" key={q.id} className="query-thumb" title={q.name} onClick={() => actions.open(queries.map((x) => x.id), i)}>
              <img src={thumbUrl(q.id)} alt={q.name} />
            </button>
          ))}
          {queries.length > 6 && <span className="query-more">+{queries.length - 6}</span>}
        </div>
      </ViewHeader>
      <div className="view-body">
        {query.error && !query.data ? (
          <ErrorState error={query.error} onRetry={query.reload} />
        ) : !query.data || query.loading ? (
          <SkeletonGrid />
        ) : query.data.results.length === 0 ? (
          <EmptyState icon="sparkles" title="No similar photos">The library has no other indexed photos to compare with yet.</EmptyState>
        ) : (
          <RankedGrid results={query.data.results} similarCount={query.data.similarCount} label={title} />
        )}
      </div>
    </div>
  );
}
