/** Appears under a view's header while photos are selected. */
import type { ReactNode } from 'react';
import { formatCount } from './format';
import { Icon } from './Icon';

export function SelectionBar({ count, onClear, children }: { count: number; onClear: () => void; children?: ReactNode }) {
  return (
    <div className="selection-bar" data-testid="selection-bar">
      <button type="button" className="icon-btn small" aria-label="Clear selection" onClick={onClear}>
        <Icon name="x" size={16} />
      </button>
      <span className="selection-count">{formatCount(count, 'selected', 'selected')}</span>
      <div className="selection-actions">{children}</div>
    </div>
  );
}
