/**
 * People (issue 18): a grid of faces, named people first, each opening into their photos.
 * Naming is inline (type on the card, Enter), merging is by selection (Ctrl/⌘- or Shift-click
 * or Space on two cards or more, then Merge), and a person's wrong photos leave it with
 * "Not this person". Everything works from the keyboard: arrows move, Enter opens, Space selects.
 */
import { useEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import type { FaceBox, PersonCard } from '../../../../preload/contract';
import { thumbUrl } from '../../api';
import { useClient } from '../../api/hooks';
import { useCall } from '../../api/queries';
import { usePhotoActions } from '../../app/photo-actions';
import type { Route } from '../../app/route';
import { formatCount } from '../../components/format';
import { Icon } from '../../components/Icon';
import { SelectionBar } from '../../components/SelectionBar';
import { EmptyState, ErrorState, SkeletonGrid } from '../../components/States';
import { ViewHeader } from '../../components/ViewHeader';
import { VirtualGrid } from '../../components/VirtualGrid';

/** A face cut out of its photo's thumbnail by CSS (the box is in fractions of the photo). */
export function FaceImage({ photoId, box, size = 120 }: { photoId: number; box: FaceBox; size?: number }) {
  const [x, y, w, h] = box;
  const style: CSSProperties = {
    width: size,
    height: size,
    backgroundImage: `url(${thumbUrl(photoId)})`,
    backgroundSize: `${100 / w}% ${100 / h}%`,
    backgroundPosition: `${w < 1 ? (x / (1 - w)) * 100 : 0}% ${h < 1 ? (y / (1 - h)) * 100 : 0}%`,
  };
  return <div className="face-image" style={style} role="img" aria-hidden="true" />;
}

export function PeopleView({ person, navigate }: { person?: number; navigate: (r: Route) => void }) {
  const client = useClient();
  const query = useCall('people', {});
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [error, setError] = useState<string | null>(null);
  if (person !== undefined) return <PersonView id={person} navigate={navigate} />;
  const people = query.data?.people ?? [];

  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const merge = async () => {
    // The first selected named person keeps their name; the others join them.
    const ids = people.filter((p) => selected.has(p.id)).map((p) => p.id);
    try {
      await client.call('mergePeople', { ids });
      setSelected(new Set());
      setError(null);
      query.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  let body;
  if (query.error && !query.data) body = <ErrorState error={query.error} onRetry={query.reload} title="People could not be listed" />;
  else if (!query.data) body = <SkeletonGrid count={12} />;
  else if (!query.data.enabled)
    body = (
      <EmptyState icon="people" title="Face recognition is off" testId="people-off">
        Turn it on in Settings to group your photos by the people in them. Faces never leave this computer.
      </EmptyState>
    );
  else if (people.length === 0)
    body = (
      <EmptyState icon="people" title="No people yet" testId="people-empty">
        People appear as faces are found in indexed photos (someone in two photos or more).
      </EmptyState>
    );
  else
    body = (
      <div className="people-grid" data-testid="people-grid" role="listbox" aria-multiselectable="true" aria-label="People">
        {people.map((p, i) => (
          <PersonCardView
            key={p.id}
            person={p}
            index={i}
            selected={selected.has(p.id)}
            onToggle={() => toggle(p.id)}
            onOpen={() => navigate({ view: 'people', person: p.id })}
            onNamed={query.reload}
          />
        ))}
      </div>
    );

  return (
    <div className="view" data-testid="people-view">
      <ViewHeader title="People" subtitle={query.data?.enabled ? formatCount(people.length, 'person', 'people') : ' '} />
      {selected.size > 0 && (
        <SelectionBar count={selected.size} onClear={() => setSelected(new Set())}>
          <button type="button" className="btn primary small" disabled={selected.size < 2} onClick={merge} data-testid="people-merge" title="These are one person">
            <Icon name="people" size={16} /> Merge
          </button>
        </SelectionBar>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="view-body scroll">{body}</div>
    </div>
  );
}

function moveFocus(e: KeyboardEvent<HTMLElement>, step: number) {
  const cards = [...document.querySelectorAll<HTMLElement>('[data-testid="person-card"]')];
  const i = cards.indexOf(e.currentTarget);
  const next = cards[i + step];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

function PersonCardView(props: { person: PersonCard; index: number; selected: boolean; onToggle: () => void; onOpen: () => void; onNamed: () => void }) {
  const { person, selected, onToggle, onOpen } = props;
  const label = person.name ?? 'Unnamed';
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return; // typing in the name field
    if (e.key === 'Enter') onOpen();
    else if (e.key === ' ') {
      e.preventDefault();
      onToggle();
    } else if (e.key === 'ArrowRight') moveFocus(e, 1);
    else if (e.key === 'ArrowLeft') moveFocus(e, -1);
  };
  return (
    <div
      className={`person-card${selected ? ' selected' : ''}`}
      role="option"
      aria-selected={selected}
      aria-label={`${label}, ${person.count} photos`}
      tabIndex={0}
      data-testid="person-card"
      data-person={person.id}
      onKeyDown={onKey}
      onClick={(e) => (e.ctrlKey || e.metaKey || e.shiftKey ? onToggle() : onOpen())}
    >
      <FaceImage photoId={person.cover.photoId} box={person.cover.box} />
      <input
        type="checkbox"
        className="person-check"
        checked={selected}
        aria-label={`Select ${label}`}
        onClick={(e) => e.stopPropagation()}
        onChange={onToggle}
        data-testid="person-select"
      />
      <NameField person={person} onNamed={props.onNamed} />
      <span className="person-count">{formatCount(person.count, 'photo')}</span>
    </div>
  );
}

/** The person's name, editable in place: Enter saves, Escape gives up. */
function NameField({ person, onNamed }: { person: PersonCard; onNamed: () => void }) {
  const client = useClient();
  const [value, setValue] = useState(person.name ?? '');
  const saved = useRef(person.name ?? '');
  useEffect(() => {
    setValue(person.name ?? '');
    saved.current = person.name ?? '';
  }, [person.name]);
  const save = async () => {
    if (value.trim() === saved.current) return;
    await client.call('namePerson', { id: person.id, name: value.trim() });
    saved.current = value.trim();
    onNamed();
  };
  return (
    <input
      className="person-name"
      value={value}
      placeholder="Add a name"
      aria-label="Name"
      data-testid="person-name"
      onClick={(e) => e.stopPropagation()}
      onChange={(e) => setValue(e.target.value)}
      onBlur={() => void save()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') void save();
        else if (e.key === 'Escape') setValue(saved.current);
      }}
    />
  );
}

function PersonView({ id, navigate }: { id: number; navigate: (r: Route) => void }) {
  const client = useClient();
  const actions = usePhotoActions();
  const query = useCall('person', { id });
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const p = query.data;
  const ids = p ? [...new Set(p.faces.map((f) => f.photoId))] : [];
  const notThem = async () => {
    if (!p) return;
    for (const f of p.faces) if (selected.has(f.photoId)) await client.call('removeFace', { faceId: f.faceId });
    setSelected(new Set());
    query.reload();
  };
  const back = (
    <button type="button" className="icon-btn" aria-label="All people" title="All people" onClick={() => navigate({ view: 'people' })}>
      <Icon name="arrow-left" />
    </button>
  );
  if (query.error && !p) return <ErrorState error={query.error} onRetry={query.reload} title="This person could not be shown" />;
  return (
    <div className="view" data-testid="person-view">
      <ViewHeader title={p ? <NameField person={p} onNamed={query.reload} /> : ' '} subtitle={p ? formatCount(ids.length, 'photo') : ' '} leading={back}>
        <button type="button" className="btn" disabled={ids.length === 0} onClick={() => actions.findSimilar(ids.slice(0, 20))}>
          <Icon name="sparkles" size={16} /> More like these
        </button>
      </ViewHeader>
      {selected.size > 0 && (
        <SelectionBar count={selected.size} onClear={() => setSelected(new Set())}>
          <button type="button" className="btn small" onClick={notThem} data-testid="not-this-person">
            <Icon name="x" size={16} /> Not {p?.name ?? 'this person'}
          </button>
        </SelectionBar>
      )}
      <div className="view-body">
        {p ? (
          <VirtualGrid
            autoFocus
            ids={ids}
            label={p.name ?? 'Unnamed person'}
            selected={selected}
            onSelectionChange={setSelected}
            onOpen={(i) => actions.open(ids, i)}
            onContextMenu={(e, i) => actions.showMenu(e, ids, i, selected)}
          />
        ) : (
          <SkeletonGrid count={12} />
        )}
      </div>
    </div>
  );
}
