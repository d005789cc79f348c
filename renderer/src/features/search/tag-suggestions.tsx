/**
 * The search box's suggestions as one types: the user's tags and the automatic tags the word
 * reaches (with how many photos carry each), for the word being typed. No request storm: a
 * request waits until typing pauses, only one is in flight, and when it returns only the latest
 * word is asked for next (the words typed meanwhile are skipped, not queued); answers are kept
 * per word, so backspacing asks nothing.
 */
import { useEffect, useRef, useState } from 'react';
import type { TagSuggestion } from '../../../../preload/contract';
import { useClient } from '../../api/hooks';
import { Icon } from '../../components/Icon';

const DEBOUNCE_MS = 120;

/** The word being typed: the last one of the box ("red ca" → "ca"). */
export function lastWord(text: string): string {
  return /(\S+)$/.exec(text)?.[1] ?? '';
}

/** The box's text with the word being typed replaced by a chosen tag. */
export function withSuggestion(text: string, tag: string): string {
  return text.replace(/\S*$/, tag);
}

export function useTagSuggestions(text: string, enabled: boolean): TagSuggestion[] {
  const client = useClient();
  const word = enabled ? lastWord(text).toLowerCase() : '';
  const [list, setList] = useState<TagSuggestion[]>([]);
  const cache = useRef(new Map<string, TagSuggestion[]>());
  const wanted = useRef('');
  const inFlight = useRef(false);

  useEffect(() => {
    wanted.current = word;
    if (!word) return setList([]);
    const known = cache.current.get(word);
    if (known) return setList(known);
    const ask = () => {
      const w = wanted.current;
      if (inFlight.current || !w || cache.current.has(w)) return;
      inFlight.current = true;
      client
        .call('suggestTags', { prefix: w })
        .then(
          (answer) => {
            cache.current.set(w, answer.suggestions);
            if (wanted.current === w) setList(answer.suggestions);
          },
          () => cache.current.set(w, []),
        )
        .finally(() => {
          inFlight.current = false;
          if (wanted.current !== w) {
            const now = cache.current.get(wanted.current);
            if (now) setList(now);
            else ask();
          }
        });
    };
    const timer = window.setTimeout(ask, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [client, word]);

  return word ? list : [];
}

export const SUGGESTIONS_ID = 'search-suggestions';

export function TagSuggestionList({ suggestions, active, onPick }: { suggestions: TagSuggestion[]; active: number; onPick: (s: TagSuggestion) => void }) {
  return (
    <ul className="suggestions" role="listbox" id={SUGGESTIONS_ID} aria-label="Suggested tags" data-testid="search-suggestions">
      {suggestions.map((s, i) => (
        <li
          key={`${s.kind}:${s.tag}`}
          id={`${SUGGESTIONS_ID}-${i}`}
          role="option"
          aria-selected={i === active}
          className={`suggestion${i === active ? ' active' : ''}`}
          // Before the input's blur closes the list.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(s)}
          data-testid="search-suggestion"
        >
          <Icon name={s.kind === 'auto' ? 'sparkles' : 'tag'} size={14} />
          <span className="suggestion-tag">{s.tag}</span>
          {s.via && <span className="muted small">for “{s.via}”</span>}
          <span className="suggestion-kind muted small">{s.kind === 'auto' ? 'found in photos' : 'your tag'}</span>
          <span className="nav-count">{s.count.toLocaleString()}</span>
        </li>
      ))}
    </ul>
  );
}
