/** A grid of ranked photos with their similarity on each tile. */
import { useState } from 'react';
import type { RankedPhoto } from '../../../../preload/contract';
import { usePhotoActions } from '../../app/photo-actions';
import { similarityPercent } from '../../components/format';
import { Icon } from '../../components/Icon';
import { SelectionBar } from '../../components/SelectionBar';
import { VirtualGrid } from '../../components/VirtualGrid';

const MEANING: Record<NonNullable<RankedPhoto['meaning']>, string> = { copy: 'Copy', 'very similar': 'Very similar', similar: 'Similar' };

export function RankedGrid({
  results,
  similarCount,
  label,
  header,
  headerHeight,
}: {
  results: RankedPhoto[];
  /** How many results are similar; the rest (less alike) are shown on request. */
  similarCount?: number;
  label: string;
  header?: React.ReactNode;
  headerHeight?: number;
}) {
  const actions = usePhotoActions();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const kept = similarCount ?? results.length;
  const shown = showAll || kept === 0 ? results : results.slice(0, kept);
  const hidden = results.length - shown.length;
  const ids = shown.map((r) => r.photo.id);
  const byId = new Map(shown.map((r) => [r.photo.id, r]));
  return (
    <div className="ranked">
      {(hidden > 0 || (showAll && kept < results.length)) && (
        <div className="ranked-cut" data-testid="ranked-cut">
          {showAll ? (
            <>
              <span>All {results.length} results; those after the first {kept} are less alike.</span>
              <button type="button" className="btn small" onClick={() => setShowAll(false)}>
                Show only similar
              </button>
            </>
          ) : (
            <>
              <span>
                {kept} similar {kept === 1 ? 'photo' : 'photos'}; {hidden} less alike hidden.
              </span>
              <button type="button" className="btn small" onClick={() => setShowAll(true)} data-testid="show-less-similar">
                Show them too
              </button>
            </>
          )}
        </div>
      )}
      {selected.size > 0 && (
        <SelectionBar count={selected.size} onClear={() => setSelected(new Set())}>
          <button type="button" className="btn primary small" onClick={() => actions.findSimilar([...selected])}>
            <Icon name="sparkles" size={16} /> More like these
          </button>
        </SelectionBar>
      )}
      <div className="ranked-grid">
      <VirtualGrid
        autoFocus
        ids={ids}
        label={label}
        header={header}
        headerHeight={headerHeight}
        selected={selected}
        onSelectionChange={setSelected}
        onOpen={(index) => actions.open(ids, index)}
        onContextMenu={(event, index) => actions.showMenu(event, ids, index, selected)}
        badge={(id, index) => {
          const r = byId.get(id);
          const score = r?.score ?? 0;
          const meaning = r?.meaning;
          return (
            <span
              className={`score-badge${meaning === 'copy' ? ' high' : ''}`}
              data-testid="similarity"
              data-score={score}
              data-meaning={meaning}
              title={`Rank ${index + 1} · similarity ${similarityPercent(score)} (cosine ${score.toFixed(3)})`}
            >
              {meaning ? MEANING[meaning] : similarityPercent(score)}
            </span>
          );
        }}
      />
      </div>
    </div>
  );
}
