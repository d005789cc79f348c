/**
 * The library: every indexed photo (or one folder's) in a windowed grid grouped by month, with
 * sort, order and tile size. Selecting photos offers "More like these".
 */
import { useEffect, useMemo, useState } from 'react';
import type { LibraryStatus, PhotoSort } from '../../../../preload/contract';
import { useCall } from '../../api/queries';
import { usePhotoActions } from '../../app/photo-actions';
import type { Route } from '../../app/route';
import { folderLabel } from '../../app/Sidebar';
import { formatCount } from '../../components/format';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState, SkeletonGrid } from '../../components/States';
import { ViewHeader } from '../../components/ViewHeader';
import { VirtualGrid } from '../../components/VirtualGrid';
import { SelectionBar } from '../../components/SelectionBar';
import { usePersistentState } from '../../app/persist';

export function LibraryView({ folder, status, navigate }: { folder?: string; status: LibraryStatus | undefined; navigate: (r: Route) => void }) {
  const actions = usePhotoActions();
  const [sort, setSort] = usePersistentState<PhotoSort>('library.sort', 'date');
  const [order, setOrder] = usePersistentState<'asc' | 'desc'>('library.order', 'desc');
  const [zoom, setZoom] = usePersistentState<number>('library.zoom', 168);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  // Asked again on library changes and as indexing adds photos (api/live.ts).
  const timeline = useCall('timeline', { folder, sort, order });
  const indexing = !!status?.indexing.running;
  useEffect(() => setSelected(new Set()), [folder]);

  const ids = timeline.data?.ids ?? [];
  const groups = useMemo(() => (timeline.data && timeline.data.grouping !== 'none' ? timeline.data.groups : null), [timeline.data]);
  const title = folder ? folderLabel(folder, status?.roots ?? []) : 'Library';
  const subtitle = timeline.data ? formatCount(timeline.data.total, 'photo') : ' ';

  let body;
  if (timeline.error && !timeline.data) {
    body = <ErrorState error={timeline.error} onRetry={timeline.reload} />;
  } else if (!timeline.data) {
    body = <SkeletonGrid />;
  } else if (ids.length === 0) {
    body = indexing ? (
      <EmptyState icon="refresh" title="Indexing your photos…" testId="library-indexing">
        Photos appear here as soon as they are indexed. Progress is shown in the sidebar.
      </EmptyState>
    ) : status && status.roots.length === 0 ? (
      <EmptyState
        icon="photos"
        title="Your library is empty"
        testId="library-empty"
        action={
          <button type="button" className="btn primary" onClick={() => navigate({ view: 'settings' })}>
            <Icon name="plus" /> Add a folder
          </button>
        }
      >
        Add a folder of photos and Likeness will index it: find similar shots, duplicates and clusters.
      </EmptyState>
    ) : (
      <EmptyState icon="folder" title="No photos here" testId="library-empty">
        {folder ? 'This folder has no indexed photos.' : 'None of the photos in your folders could be indexed yet.'}
      </EmptyState>
    );
  } else {
    body = (
      <VirtualGrid
        autoFocus
        ids={ids}
        groups={groups}
        minTile={zoom}
        label={title}
        selected={selected}
        onSelectionChange={setSelected}
        onOpen={(index) => actions.open(ids, index)}
        onContextMenu={(event, index) => actions.showMenu(event, ids, index, selected)}
      />
    );
  }

  return (
    <div className="view" data-testid="library-view">
      <ViewHeader
        title={title}
        subtitle={subtitle}
        leading={
          folder ? (
            <button type="button" className="icon-btn" aria-label="All photos" title="All photos" onClick={() => navigate({ view: 'library' })}>
              <Icon name="arrow-left" />
            </button>
          ) : undefined
        }
      >
        {ids.length > 0 && (
          <>
        <label className="select-wrap" title="Sort">
          <Icon name="sort" size={16} />
          <select value={sort} onChange={(e) => setSort(e.target.value as PhotoSort)} aria-label="Sort by" data-testid="sort-select">
            <option value="date">Date taken</option>
            <option value="name">Name</option>
            <option value="added">Recently added</option>
          </select>
        </label>
        <button
          type="button"
          className="icon-btn"
          onClick={() => setOrder(order === 'asc' ? 'desc' : 'asc')}
          title={order === 'asc' ? 'Ascending' : 'Descending'}
          aria-label={order === 'asc' ? 'Sort descending' : 'Sort ascending'}
        >
          <span className={`order-arrow ${order}`}>↓</span>
        </button>
        <label className="zoom" title="Thumbnail size">
          <Icon name="grid" size={16} />
          <input type="range" min={96} max={320} step={8} value={zoom} onChange={(e) => setZoom(Number(e.target.value))} aria-label="Thumbnail size" />
        </label>
          </>
        )}
      </ViewHeader>
      {selected.size > 0 && (
        <SelectionBar count={selected.size} onClear={() => setSelected(new Set())}>
          <button type="button" className="btn primary small" onClick={() => actions.findSimilar([...selected])} data-testid="more-like-these">
            <Icon name="sparkles" size={16} /> {selected.size === 1 ? 'Find similar' : 'More like these'}
          </button>
        </SelectionBar>
      )}
      <div className="view-body">{body}</div>
    </div>
  );
}
