/**
 * Clusters: groups of photos that look alike, as cards (a mosaic of the representative and a few
 * members, with the count) that open into their photos.
 */
import { useState } from 'react';
import type { Cluster, ClusterLevel } from '../../../../preload/contract';
import { thumbUrl } from '../../api';
import { useCall } from '../../api/queries';
import { usePhotoActions } from '../../app/photo-actions';
import type { Route } from '../../app/route';
import { formatCount } from '../../components/format';
import { Icon } from '../../components/Icon';
import { SelectionBar } from '../../components/SelectionBar';
import { EmptyState, ErrorState, SkeletonGrid } from '../../components/States';
import { ViewHeader } from '../../components/ViewHeader';
import { VirtualGrid } from '../../components/VirtualGrid';

const LEVELS: { level: ClusterLevel; label: string; title: string }[] = [
  { level: 'finer', label: 'Finer', title: 'Smaller, tighter groups' },
  { level: 'default', label: 'Default', title: 'Groups of look-alikes' },
  { level: 'coarser', label: 'Coarser', title: 'Larger, looser groups that hold more photos' },
];
const LEVEL_KEY = 'likeness.clusters.level';

/** The granularity chosen, kept for the session: #/clusters/N names a card of the list at this level. */
function useLevel(): [ClusterLevel, (l: ClusterLevel) => void] {
  const [level, setLevel] = useState<ClusterLevel>(() => (LEVELS.find((l) => l.level === sessionStorage.getItem(LEVEL_KEY))?.level ?? 'default'));
  return [
    level,
    (l) => {
      sessionStorage.setItem(LEVEL_KEY, String(l));
      setLevel(l);
    },
  ];
}

export function ClustersView({ cluster, navigate }: { cluster?: number; navigate: (r: Route) => void }) {
  const [level, setLevel] = useLevel();
  const query = useCall('clusters', level === 'default' ? {} : { level });
  const clusters = query.data?.clusters ?? [];
  // The URL names a cluster by its place in the list, as the user sees it (#/clusters/2 is the
  // second card); the core's ids are internal.
  const open = cluster === undefined ? undefined : clusters[cluster - 1];

  if (cluster !== undefined && query.data) {
    if (open) return <ClusterPhotos cluster={open} index={clusters.indexOf(open)} navigate={navigate} />;
  }

  let body;
  if (query.error && !query.data) body = <ErrorState error={query.error} onRetry={query.reload} title="Clusters could not be built" />;
  else if (!query.data) body = <SkeletonGrid count={12} />;
  else if (clusters.length === 0)
    body = (
      <EmptyState icon="clusters" title="No clusters yet" testId="clusters-empty">
        Clusters appear once the library has enough indexed photos to group.
      </EmptyState>
    );
  else
    body = (
      <div className="cluster-grid" data-testid="cluster-grid">
        {clusters.map((c, i) => (
          <ClusterCard key={c.id} cluster={c} index={i} onOpen={() => navigate({ view: 'clusters', cluster: i + 1 })} />
        ))}
      </div>
    );

  return (
    <div className="view" data-testid="clusters-view">
      <ViewHeader title="Clusters" subtitle={query.data ? `${formatCount(clusters.length, 'cluster')} of look-alike photos` : ' '}>
        <div className="segmented" role="tablist" aria-label="Granularity" data-testid="cluster-level">
          {LEVELS.map((l) => (
            <button key={l.level} type="button" role="tab" aria-selected={level === l.level} className={level === l.level ? 'active' : ''} title={l.title} onClick={() => setLevel(l.level)}>
              {l.label}
            </button>
          ))}
        </div>
        <button type="button" className="btn" onClick={query.reload} title="Recompute clusters">
          <Icon name="refresh" size={16} /> Refresh
        </button>
      </ViewHeader>
      <div className="view-body scroll">{body}</div>
    </div>
  );
}

export function clusterTitle(c: Cluster, index: number): string {
  return c.label ?? `Cluster ${index + 1}`;
}

function ClusterCard({ cluster, index, onOpen }: { cluster: Cluster; index: number; onOpen: () => void }) {
  const [main, ...rest] = cluster.memberIds;
  const side = rest.slice(0, 2);
  return (
    <button type="button" className="cluster-card" onClick={onOpen} data-testid="cluster-card" aria-label={`${clusterTitle(cluster, index)}, ${cluster.size} photos`}>
      <div className={`cluster-mosaic n${Math.min(3, 1 + side.length)}`}>
        <img className="main" src={thumbUrl(main ?? cluster.representative.id)} alt="" loading="lazy" />
        {side.map((id) => (
          <img key={id} src={thumbUrl(id)} alt="" loading="lazy" />
        ))}
      </div>
      <div className="cluster-info">
        <span className="cluster-title">{clusterTitle(cluster, index)}</span>
        <span className="cluster-count">{formatCount(cluster.size, 'photo')}</span>
      </div>
    </button>
  );
}

function ClusterPhotos({ cluster, index, navigate }: { cluster: Cluster; index: number; navigate: (r: Route) => void }) {
  const actions = usePhotoActions();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const ids = cluster.memberIds;
  return (
    <div className="view" data-testid="cluster-view">
      <ViewHeader
        title={clusterTitle(cluster, index)}
        subtitle={formatCount(cluster.size, 'photo')}
        leading={
          <button type="button" className="icon-btn" aria-label="All clusters" title="All clusters" onClick={() => navigate({ view: 'clusters' })}>
            <Icon name="arrow-left" />
          </button>
        }
      >
        <button type="button" className="btn" onClick={() => actions.findSimilar(ids.slice(0, 20))}>
          <Icon name="sparkles" size={16} /> More like this cluster
        </button>
      </ViewHeader>
      {selected.size > 0 && (
        <SelectionBar count={selected.size} onClear={() => setSelected(new Set())}>
          <button type="button" className="btn primary small" onClick={() => actions.findSimilar([...selected])}>
            <Icon name="sparkles" size={16} /> More like these
          </button>
        </SelectionBar>
      )}
      <div className="view-body">
        <VirtualGrid
          autoFocus
          ids={ids}
          label={clusterTitle(cluster, index)}
          selected={selected}
          onSelectionChange={setSelected}
          onOpen={(i) => actions.open(ids, i)}
          onContextMenu={(e, i) => actions.showMenu(e, ids, i, selected)}
        />
      </div>
    </div>
  );
}
