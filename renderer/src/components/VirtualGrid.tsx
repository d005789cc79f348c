/**
 * A windowed thumbnail grid: fixed-height rows (group headers and rows of square tiles), of which
 * only those in view (plus a little overscan) are in the DOM, so 100k photos scroll like 100.
 *
 * Mouse: click opens, the round check (or Ctrl/⌘-click) selects, Shift-click selects a range,
 * right-click opens the context menu. Keyboard: arrows / Page / Home / End move, Enter opens,
 * Space selects, Ctrl/⌘+A selects all, Esc clears the selection.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { tileThumbUrl } from '../api';
import { firstRowAt, layoutGrid, moveFocus, photoRowOf, type GridGroup } from './grid-layout';
import { Icon } from './Icon';

export interface VirtualGridProps {
  ids: readonly number[];
  groups?: GridGroup[] | null;
  minTile?: number;
  selected?: ReadonlySet<number>;
  onSelectionChange?: (next: Set<number>) => void;
  onOpen?: (index: number) => void;
  onContextMenu?: (event: MouseEvent, index: number) => void;
  badge?: (id: number, index: number) => ReactNode;
  label: string;
  /** Take the keyboard focus when mounted (views whose main content is this grid). */
  autoFocus?: boolean;
  /** Extra content above the first row (inside the scroller). */
  header?: ReactNode;
  headerHeight?: number;
}

const GAP = 4;
const GROUP_HEADER = 46;
const PADDING = 18;
const OVERSCAN = 600;
/** The rendered window moves in steps of this many pixels: scrolling inside a step re-renders nothing. */
const STEP = 240;

export function VirtualGrid(props: VirtualGridProps) {
  const { ids, groups = null, minTile = 168, selected, onSelectionChange, onOpen, onContextMenu, badge, label } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ width: 0, height: 0 });
  const [scrollTop, setScrollTop] = useState(0);
  const [focus, setFocus] = useState(-1);
  const anchor = useRef(-1);
  const extraTop = props.header ? (props.headerHeight ?? 0) : 0;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport({ width: el.clientWidth, height: el.clientHeight }));
    observer.observe(el);
    setViewport({ width: el.clientWidth, height: el.clientHeight });
    return () => observer.disconnect();
  }, []);

  const layout = useMemo(
    () => layoutGrid({ width: viewport.width, total: ids.length, groups, minTile, gap: GAP, headerHeight: GROUP_HEADER, padding: PADDING }),
    [viewport.width, ids.length, groups, minTile],
  );

  useEffect(() => {
    if (props.autoFocus) scroller.current?.focus({ preventScroll: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Keep the focus inside the list when it shrinks.
  useEffect(() => {
    if (focus >= ids.length) setFocus(ids.length - 1);
  }, [ids.length, focus]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (el) setScrollTop(Math.floor(el.scrollTop / STEP) * STEP);
  }, []);

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scroller.current;
      if (!el || index < 0 || layout.photoRows.length === 0) return;
      const row = layout.rows[layout.photoRows[photoRowOf(layout, index)]];
      const top = row.top + extraTop;
      if (top - GROUP_HEADER < el.scrollTop) el.scrollTop = Math.max(0, top - GROUP_HEADER - PADDING);
      else if (top + row.height > el.scrollTop + el.clientHeight) el.scrollTop = top + row.height - el.clientHeight + PADDING;
    },
    [layout, extraTop],
  );

  const select = useCallback(
    (index: number, mode: 'toggle' | 'range' | 'only') => {
      if (!onSelectionChange) return;
      const id = ids[index];
      const next = new Set(mode === 'only' ? [] : (selected ?? []));
      if (mode === 'range' && anchor.current >= 0) {
        const [a, b] = anchor.current < index ? [anchor.current, index] : [index, anchor.current];
        for (let i = a; i <= b; i++) next.add(ids[i]);
      } else if (next.has(id)) {
        next.delete(id);
      } else {
        next.add(id);
      }
      if (mode !== 'range') anchor.current = index;
      onSelectionChange(next);
    },
    [ids, selected, onSelectionChange],
  );

  const onTileClick = useCallback(
    (event: MouseEvent, index: number, onCheck: boolean) => {
      setFocus(index);
      const selecting = (selected?.size ?? 0) > 0;
      if (event.shiftKey && onSelectionChange) select(index, 'range');
      else if (event.metaKey || event.ctrlKey || onCheck || (selecting && onSelectionChange)) select(index, 'toggle');
      else onOpen?.(index);
    },
    [select, selected, onOpen, onSelectionChange],
  );

  const onKeyDown = (event: KeyboardEvent) => {
    const keys: Record<string, Parameters<typeof moveFocus>[3]> = {
      ArrowLeft: 'left',
      ArrowRight: 'right',
      ArrowUp: 'up',
      ArrowDown: 'down',
      Home: 'home',
      End: 'end',
      PageUp: 'pageup',
      PageDown: 'pagedown',
    };
    const move = keys[event.key];
    if (move) {
      event.preventDefault();
      const pageRows = Math.max(1, Math.floor(viewport.height / (layout.tile + GAP)) - 1);
      const next = moveFocus(layout, ids.length, focus, move, pageRows);
      setFocus(next);
      scrollToIndex(next);
      if (event.shiftKey && onSelectionChange) select(next, 'range');
      return;
    }
    if (event.key === 'Enter' && focus >= 0) {
      event.preventDefault();
      onOpen?.(focus);
    } else if (event.key === ' ' && focus >= 0) {
      event.preventDefault();
      select(focus, 'toggle');
    } else if (event.key === 'Escape' && selected && selected.size > 0) {
      event.preventDefault();
      onSelectionChange?.(new Set());
    } else if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'a' && onSelectionChange) {
      event.preventDefault();
      onSelectionChange(new Set(ids));
    } else if ((event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) && focus >= 0 && onContextMenu) {
      event.preventDefault();
      const tile = scroller.current?.querySelector<HTMLElement>(`[data-index="${focus}"]`);
      const rect = tile?.getBoundingClientRect();
      onContextMenu({ ...event, clientX: rect ? rect.left + rect.width / 2 : 0, clientY: rect ? rect.top + rect.height / 2 : 0, preventDefault() {} } as unknown as MouseEvent, focus);
    }
  };

  const y0 = scrollTop - extraTop - OVERSCAN;
  const y1 = scrollTop - extraTop + viewport.height + STEP + OVERSCAN;
  const visible = [];
  if (viewport.width > 0) {
    for (let r = layout.rows.length ? firstRowAt(layout.rows, Math.max(0, y0)) : 0; r < layout.rows.length && layout.rows[r].top < y1; r++) {
      visible.push(layout.rows[r]);
    }
  }

  return (
    <div
      className="vgrid"
      ref={scroller}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      tabIndex={0}
      role="grid"
      aria-label={label}
      aria-rowcount={layout.photoRows.length}
      data-testid="photo-grid"
    >
      {props.header}
      <div className="vgrid-sizer" style={{ height: layout.height }}>
        {visible.map((row) =>
          row.kind === 'header' ? (
            <div key={`h-${row.group.key}-${row.top}`} className="vgrid-header" style={{ top: row.top, height: row.height, left: PADDING, right: PADDING }}>
              <h2>{row.group.label}</h2>
              <span className="vgrid-header-count">{row.group.count.toLocaleString()} {row.group.count === 1 ? 'photo' : 'photos'}</span>
            </div>
          ) : (
            <div key={`r-${row.start}`} className="vgrid-row" role="row" style={{ top: row.top, height: layout.tile, left: PADDING }}>
              {Array.from({ length: row.count }, (_, c) => {
                const index = row.start + c;
                const id = ids[index];
                return (
                  <Tile
                    key={id}
                    id={id}
                    index={index}
                    size={layout.tile}
                    left={c * (layout.tile + GAP)}
                    selected={!!selected?.has(id)}
                    focused={focus === index}
                    selectable={!!onSelectionChange}
                    onClick={onTileClick}
                    onContextMenu={onContextMenu}
                    onFocusIndex={setFocus}
                    badge={badge?.(id, index)}
                  />
                );
              })}
            </div>
          ),
        )}
      </div>
    </div>
  );
}

interface TileProps {
  id: number;
  index: number;
  size: number;
  left: number;
  selected: boolean;
  focused: boolean;
  selectable: boolean;
  onClick: (event: MouseEvent, index: number, onCheck: boolean) => void;
  onContextMenu?: (event: MouseEvent, index: number) => void;
  onFocusIndex: (index: number) => void;
  badge?: ReactNode;
}

const Tile = memo(function Tile({ id, index, size, left, selected, focused, selectable, onClick, onContextMenu, onFocusIndex, badge }: TileProps) {
  const [state, setState] = useState<'loading' | 'loaded' | 'failed'>('loading');
  return (
    <div
      className={`tile ${state}${selected ? ' selected' : ''}${focused ? ' focused' : ''}`}
      role="gridcell"
      aria-selected={selected}
      data-index={index}
      data-id={id}
      style={{ width: size, height: size, left }}
      onClick={(e) => onClick(e, index, false)}
      onContextMenu={
        onContextMenu
          ? (e) => {
              e.preventDefault();
              onFocusIndex(index);
              onContextMenu(e, index);
            }
          : undefined
      }
    >
      <img src={tileThumbUrl(id, size)} alt="" draggable={false} decoding="async" onLoad={() => setState('loaded')} onError={() => setState('failed')} />
      {state === 'failed' && (
        <span className="tile-broken">
          <Icon name="image-off" />
        </span>
      )}
      {selectable && (
        <button
          type="button"
          className="tile-check"
          tabIndex={-1}
          aria-label={selected ? 'Deselect' : 'Select'}
          onClick={(e) => {
            e.stopPropagation();
            onClick(e, index, true);
          }}
        >
          <Icon name="check" />
        </button>
      )}
      {badge}
    </div>
  );
});
