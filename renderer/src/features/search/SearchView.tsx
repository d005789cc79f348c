/**
 * Search: one box for text (file and folder names, tags, and whatever the engine indexes), with
 * filters for folder, date range and tags, and "more like these" from a selection of results.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FolderCount, SearchQuery } from '../../../../preload/contract';
import { useAvailable } from '../../api/hooks';
import { useCall } from '../../api/queries';
import { usePhotoActions } from '../../app/photo-actions';
import type { Route } from '../../app/route';
import { folderLabel } from '../../app/Sidebar';
import { formatCount } from '../../components/format';
import { Icon } from '../../components/Icon';
import { SelectionBar } from '../../components/SelectionBar';
import { EmptyState, ErrorState, SkeletonGrid } from '../../components/States';
import { ViewHeader } from '../../components/ViewHeader';
import { VirtualGrid } from '../../components/VirtualGrid';
import { SUGGESTIONS_ID, TagSuggestionList, useTagSuggestions, withSuggestion } from './tag-suggestions';
import type { TagSuggestion } from '../../../../preload/contract';

export function SearchView({
  initial,
  folders,
  roots,
  navigate,
  onSearchWithPhoto,
}: {
  initial?: string;
  folders: FolderCount[] | undefined;
  roots: string[];
  navigate: (r: Route) => void;
  /** Opens the file chooser for a reverse image search. */
  onSearchWithPhoto: () => void;
}) {
  const actions = usePhotoActions();
  const canTag = useAvailable('tags');
  const [text, setText] = useState(initial ?? '');
  const [debounced, setDebounced] = useState(text);
  const [folder, setFolder] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [like, setLike] = useState<number[]>([]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const input = useRef<HTMLInputElement>(null);
  const [suggesting, setSuggesting] = useState(false);
  const [active, setActive] = useState(-1);
  const canSuggest = useAvailable('suggestTags');
  const suggestions = useTagSuggestions(text, suggesting && canSuggest);
  const showSuggestions = suggesting && suggestions.length > 0;

  useEffect(() => {
    const t = window.setTimeout(() => setDebounced(text), 250);
    return () => window.clearTimeout(t);
  }, [text]);
  useEffect(() => input.current?.focus(), []);

  const allTags = useCall('tags', {}, { enabled: canTag });

  const request: SearchQuery = useMemo(
    () => ({
      text: debounced.trim() || undefined,
      folder: folder || undefined,
      from: from || undefined,
      to: to || undefined,
      tags: tags.length ? tags : undefined,
      like: like.length ? like : undefined,
      limit: 1000,
    }),
    [debounced, folder, from, to, tags, like],
  );
  const empty = !request.text && !request.folder && !request.from && !request.to && !request.tags && !request.like;
  const results = useCall('search', request, { enabled: !empty });
  // An empty request asks nothing and shows the start page, not the last answer.
  const answer = empty ? undefined : results.data;
  const hits = useMemo(() => answer?.hits ?? [], [answer]);
  const ids = useMemo(() => hits.map((h) => h.photo.id), [hits]);
  // A new question starts with nothing selected (compared by value: the request is rebuilt each render).
  const requestKey = JSON.stringify(request);
  useEffect(() => setSelected(new Set()), [requestKey]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setDebounced(text);
    navigate({ view: 'search', q: text.trim() || undefined });
  };
  const pick = (s: TagSuggestion) => {
    const next = withSuggestion(text, s.tag);
    setText(next);
    setSuggesting(false);
    setDebounced(next);
    navigate({ view: 'search', q: next.trim() || undefined });
  };
  // Up and down move through the suggestions, Enter takes one, Escape closes them.
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape' && showSuggestions) {
      e.preventDefault();
      setSuggesting(false);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!showSuggestions) {
        // Opens them again (after Escape), on the first one.
        setSuggesting(true);
        setActive(e.key === 'ArrowDown' ? 0 : -1);
        return;
      }
      const n = suggestions.length;
      setActive((i) => (e.key === 'ArrowDown' ? (i + 1) % n : (i <= 0 ? n : i) - 1));
    } else if (e.key === 'Enter' && showSuggestions && active >= 0) {
      e.preventDefault();
      pick(suggestions[active]);
    }
  };

  let body;
  if (!empty && results.error) body = <ErrorState error={results.error} onRetry={results.reload} title="Search failed" />;
  else if (empty)
    body = (
      <div className="search-start">
        <EmptyState icon="search" title="Search your library" testId="search-hint">
          Type a file or folder name, a tag or a word, narrow by folder, dates or tags — or select photos and ask for more like them.
        </EmptyState>
        <button type="button" className="drop-hint" onClick={onSearchWithPhoto} data-testid="drop-hint">
          <Icon name="image-search" size={26} />
          <strong>Find photos like one you have</strong>
          <span>Drop a photo anywhere on this window, paste one (Ctrl+V), or click to choose a file. It is not added to the library.</span>
        </button>
      </div>
    );
  else if (results.loading && !answer) body = <SkeletonGrid />;
  else if (hits.length === 0)
    body = (
      <EmptyState icon="search" title="No matches" testId="search-empty">
        Nothing matches these words and filters. Try fewer filters.
      </EmptyState>
    );
  else
    body = (
      <VirtualGrid
        ids={ids}
        label="Search results"
        selected={selected}
        onSelectionChange={setSelected}
        onOpen={(i) => actions.open(ids, i)}
        onContextMenu={(e, i) => actions.showMenu(e, ids, i, selected)}
      />
    );

  return (
    <div className="view" data-testid="search-view">
      <ViewHeader title="Search" subtitle={answer ? `${formatCount(answer.total, 'result')}` : ' '} />
      <form className="search-bar" onSubmit={submit} role="search">
        <div className="search-box">
          <Icon name="search" />
          <input
            ref={input}
            type="search"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setSuggesting(true);
              setActive(-1);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setSuggesting(false)}
            placeholder="Search photos, folders, tags…"
            aria-label="Search"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={showSuggestions}
            aria-controls={SUGGESTIONS_ID}
            aria-activedescendant={showSuggestions && active >= 0 ? `${SUGGESTIONS_ID}-${active}` : undefined}
            data-testid="search-input"
          />
          {showSuggestions && <TagSuggestionList suggestions={suggestions} active={active} onPick={pick} />}
          <button type="button" className="btn small search-photo" onClick={onSearchWithPhoto} data-testid="search-with-photo" title="Find photos that look like an image from your computer">
            <Icon name="image-search" size={16} /> Search with a photo…
          </button>
        </div>
        <div className="filters">
          <label className="filter">
            <Icon name="folder" size={15} />
            <select value={folder} onChange={(e) => setFolder(e.target.value)} aria-label="Folder" data-testid="search-folder">
              <option value="">All folders</option>
              {(folders ?? []).map((f) => (
                <option key={f.path} value={f.path}>
                  {folderLabel(f.path, roots)}
                </option>
              ))}
            </select>
          </label>
          <label className="filter">
            <Icon name="calendar" size={15} />
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From date" max={to || undefined} />
            <span className="muted">–</span>
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-label="To date" min={from || undefined} />
          </label>
          {(allTags.data ?? []).slice(0, 12).map((t) => (
            <button
              key={t.tag}
              type="button"
              className={`chip toggle${tags.includes(t.tag) ? ' on' : ''}`}
              aria-pressed={tags.includes(t.tag)}
              onClick={() => setTags((list) => (list.includes(t.tag) ? list.filter((x) => x !== t.tag) : [...list, t.tag]))}
            >
              <Icon name="tag" size={12} /> {t.tag}
            </button>
          ))}
          {like.length > 0 && (
            <span className="chip on">
              <Icon name="sparkles" size={12} /> Like {formatCount(like.length, 'photo')}
              <button type="button" aria-label="Remove" onClick={() => setLike([])}>
                <Icon name="x" size={12} />
              </button>
            </span>
          )}
          {(folder || from || to || tags.length > 0 || like.length > 0) && (
            <button
              type="button"
              className="link-btn"
              onClick={() => {
                setFolder('');
                setFrom('');
                setTo('');
                setTags([]);
                setLike([]);
              }}
            >
              Clear filters
            </button>
          )}
        </div>
      </form>
      {selected.size > 0 && (
        <SelectionBar count={selected.size} onClear={() => setSelected(new Set())}>
          <button
            type="button"
            className="btn primary small"
            data-testid="search-more-like"
            onClick={() => {
              setLike([...selected].slice(0, 100));
            }}
          >
            <Icon name="sparkles" size={16} /> More like these
          </button>
        </SelectionBar>
      )}
      <div className="view-body">{body}</div>
    </div>
  );
}
