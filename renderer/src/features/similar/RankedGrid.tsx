/** A grid of ranked photos with their similarity on each tile. */
import { useState } from 'react';
import type { RankedPhoto } from '../../../../preload/contract';
import { usePhotoActions } from '../../app/photo-actions';
import { similarityPercent } from '../../components/format';
import { Icon } from '../../components/Icon';
import { SelectionBar } from '../../components/SelectionBar';
import { VirtualGrid } from '../../components/VirtualGrid';

export function RankedGrid({ results, label, header, headerHeight }: { results: RankedPhoto[]; label: string; header?: React.ReactNode; headerHeight?: number }) {
  const actions = usePhotoActions();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const ids = results.map((r) => r.photo.id);
  const scores = new Map(results.map((r) => [r.photo.id, r.score]));
  return (
    <>
      {selected.size > 0 && (
        <SelectionBar count={selected.size} onClear={() => setSelected(new Set())}>
          <button type="button" className="btn primary small" onClick={() => actions.findSimilar([...selected])}>
            <Icon name="sparkles" size={16} /> More like these
          </button>
        </SelectionBar>
      )}
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
          const score = scores.get(id) ?? 0;
          return (
            <span className={`score-badge${score >= 0.9 ? ' high' : ''}`} data-testid="similarity" title={`Rank ${index + 1} · cosine similarity ${score.toFixed(3)}`}>
              {similarityPercent(score)}
            </span>
          );
        }}
      />
    </>
  );
}
