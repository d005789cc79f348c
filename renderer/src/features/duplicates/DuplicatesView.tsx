/**
 * Duplicate review: groups side by side with their tier and the evidence that they match, the
 * suggested keeper highlighted. Keyboard-driven: ↑/↓ (or J/K) move between groups, ←/→ choose the
 * keeper, Enter keeps it and moves the others to the trash, N marks "not duplicates", U (or
 * Ctrl/⌘+Z) undoes the last resolve.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DupeGroup, DupeTier } from '../../../../preload/contract';
import { thumbUrl } from '../../api';
import { useClient, useEvents } from '../../api/hooks';
import { useCall } from '../../api/queries';
import { usePhotoActions } from '../../app/photo-actions';
import { formatBytes, formatCount, formatDate } from '../../components/format';
import { Icon } from '../../components/Icon';
import { Dialog } from '../../components/Dialog';
import { EmptyState, ErrorState, Kbd, Spinner } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { ViewHeader } from '../../components/ViewHeader';

export const TIER_LABEL: Record<DupeTier, string> = {
  exact: 'Exact copy',
  near: 'Near copy',
  similar: 'Similar shot',
};

const TIER_HINT: Record<DupeTier, string> = {
  exact: 'Byte-for-byte the same file',
  near: 'The same picture saved again: resized, recompressed, cropped or brightened',
  similar: 'Taken moments apart or lightly edited',
};

type Filter = 'all' | DupeTier;

export function DuplicatesView() {
  const client = useClient();
  const toast = useToast();
  const actions = usePhotoActions();
  // Asked again when indexing brings new photos (api/live.ts) and after each resolve or undo here.
  const query = useCall('dupes', {});
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [keepers, setKeepers] = useState<Map<string, number>>(new Map());
  const [active, setActive] = useState(0);
  const [filter, setFilter] = useState<Filter>('all');
  const [busy, setBusy] = useState(false);
  /** A similar-shot group waiting for the user to confirm: its photos are different pictures. */
  const [confirming, setConfirming] = useState<DupeGroup | null>(null);
  /** The tier whose every group is about to be resolved at once, after its summary. */
  const [bulk, setBulk] = useState<'exact' | 'near' | null>(null);
  const listRef = useRef<HTMLDivElement>(null);

  const reload = query.reload;
  useEvents((e) => {
    if (e.type === 'menu' && e.command === 'edit:undo') void undo();
  });

  const all = useMemo(() => query.data?.groups ?? [], [query.data]);
  const groups = useMemo(() => all.filter((g) => !hidden.has(g.key) && (filter === 'all' || g.tier === filter)), [all, hidden, filter]);
  const counts = useMemo(() => {
    const c: Record<Filter, number> = { all: 0, exact: 0, near: 0, similar: 0 };
    for (const g of all) if (!hidden.has(g.key)) {
      c.all++;
      c[g.tier]++;
    }
    return c;
  }, [all, hidden]);
  const keeperOf = useCallback((g: DupeGroup) => keepers.get(g.key) ?? g.keeperId, [keepers]);
  const reclaimable = groups.reduce((sum, g) => sum + g.members.filter((m) => m.id !== keeperOf(g)).reduce((s, m) => s + m.size, 0), 0);

  useEffect(() => {
    if (active >= groups.length) setActive(Math.max(0, groups.length - 1));
  }, [groups.length, active]);

  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-group-index="${active}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [active]);

  const undo = useCallback(async () => {
    try {
      const result = await client.call('undoResolve');
      if (result.failed.length) {
        toast.show({ message: `${formatCount(result.failed.length, 'photo')} could not be restored: ${result.failed[0].reason}`, tone: 'error' }, 9000);
      }
      if (result.restored || !result.failed.length) {
        toast.show({ message: result.restored ? `Restored ${formatCount(result.restored, 'photo')}` : 'Nothing to undo', tone: result.restored ? 'success' : 'info' }, 3500);
      }
      setHidden(new Set());
      reload();
    } catch (error) {
      toast.show({ message: (error as Error).message, tone: 'error' });
    }
  }, [client, toast, reload]);

  const resolve = useCallback(
    async (g: DupeGroup) => {
      if (busy) return;
      const keep = keeperOf(g);
      const trash = g.members.filter((m) => m.id !== keep).map((m) => m.id);
      setBusy(true);
      try {
        const result = await client.call('resolveDupes', { decisions: [{ keep: [keep], trash }] });
        if (result.failed.length) {
          toast.show({ message: `${formatCount(result.failed.length, 'photo')} could not be moved: ${result.failed[0].reason}`, tone: 'error' }, 9000);
        }
        if (result.trashed > 0) {
          setHidden((h) => new Set(h).add(g.key));
          // Groups share files (an exact group and the near group of its kept file): ask again.
          reload();
          toast.show({
            message: `Moved ${formatCount(result.trashed, 'photo')} to ${result.destination.startsWith('the ') ? result.destination : 'the trash folder'}`,
            action: result.canUndo ? { label: 'Undo', run: () => void undo() } : undefined,
          });
        }
      } catch (error) {
        toast.show({ message: (error as Error).message, tone: 'error' });
      } finally {
        setBusy(false);
      }
    },
    [busy, client, keeperOf, toast, undo, reload],
  );

  /** Every group of a tier in one resolve: one batch in the trash, so one undo brings all back. */
  const resolveAll = useCallback(
    async (list: DupeGroup[]) => {
      setBulk(null);
      setBusy(true);
      try {
        const decisions = list.map((g) => {
          const keep = keeperOf(g);
          return { keep: [keep], trash: g.members.filter((m) => m.id !== keep).map((m) => m.id) };
        });
        const result = await client.call('resolveDupes', { decisions });
        if (result.failed.length) {
          toast.show({ message: `${formatCount(result.failed.length, 'photo')} could not be moved: ${result.failed[0].reason}`, tone: 'error' }, 9000);
        }
        if (result.trashed > 0) {
          setHidden((h) => new Set([...h, ...list.map((g) => g.key)]));
          reload();
          toast.show({
            message: `Moved ${formatCount(result.trashed, 'photo')} from ${formatCount(list.length, 'group')} to ${result.destination.startsWith('the ') ? result.destination : 'the trash folder'}`,
            action: result.canUndo ? { label: 'Undo', run: () => void undo() } : undefined,
          }, 12000);
        }
      } catch (error) {
        toast.show({ message: (error as Error).message, tone: 'error' });
      } finally {
        setBusy(false);
      }
    },
    [client, keeperOf, toast, undo, reload],
  );

  /** Copies go at once (undo brings them back); similar shots are different photos: ask first. */
  const requestResolve = useCallback(
    (g: DupeGroup) => {
      if (g.tier === 'similar') setConfirming(g);
      else void resolve(g);
    },
    [resolve],
  );

  const notDuplicates = useCallback(
    async (g: DupeGroup) => {
      try {
        await client.call('notDuplicates', { ids: g.members.map((m) => m.id) });
        setHidden((h) => new Set(h).add(g.key));
        toast.show({ message: 'Marked as not duplicates; they will not be suggested again' }, 3500);
      } catch (error) {
        toast.show({ message: (error as Error).message, tone: 'error' });
      }
    },
    [client, toast],
  );

  const chooseKeeper = useCallback((g: DupeGroup, id: number) => setKeepers((k) => new Map(k).set(g.key, id)), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || document.querySelector('[role="dialog"], [role="menu"]')) return;
      const g = groups[active];
      const key = e.key;
      if ((e.metaKey || e.ctrlKey) && key.toLowerCase() === 'z') {
        e.preventDefault();
        void undo();
        return;
      }
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (key === 'ArrowDown' || key === 'j') {
        e.preventDefault();
        setActive((a) => Math.min(groups.length - 1, a + 1));
      } else if (key === 'ArrowUp' || key === 'k') {
        e.preventDefault();
        setActive((a) => Math.max(0, a - 1));
      } else if ((key === 'ArrowLeft' || key === 'ArrowRight') && g) {
        e.preventDefault();
        const at = g.members.findIndex((m) => m.id === keeperOf(g));
        const next = (at + (key === 'ArrowRight' ? 1 : -1) + g.members.length) % g.members.length;
        chooseKeeper(g, g.members[next].id);
      } else if (key === 'Enter' && g) {
        e.preventDefault();
        requestResolve(g);
      } else if (key.toLowerCase() === 'n' && g) {
        e.preventDefault();
        void notDuplicates(g);
      } else if (key.toLowerCase() === 'u') {
        e.preventDefault();
        void undo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [groups, active, keeperOf, chooseKeeper, requestResolve, notDuplicates, undo]);

  let body;
  if (query.error && !query.data) body = <ErrorState error={query.error} onRetry={reload} title="Duplicates could not be found" />;
  else if (!query.data) body = <Spinner label="Comparing photos…" />;
  else if (groups.length === 0)
    body = (
      <EmptyState icon="check" title={counts.all === 0 ? 'No duplicates' : 'Nothing in this tier'} testId="dupes-empty">
        {counts.all === 0 ? 'Every photo in your library is one of a kind. Thresholds can be changed in Settings.' : 'Choose another tier above.'}
      </EmptyState>
    );
  else
    body = (
      <div className="dupe-list" ref={listRef} data-testid="dupe-list">
        {groups.map((g, i) => (
          <GroupCard
            key={g.key}
            group={g}
            index={i}
            active={i === active}
            keeperId={keeperOf(g)}
            busy={busy}
            onActivate={() => setActive(i)}
            onKeeper={(id) => chooseKeeper(g, id)}
            onResolve={() => requestResolve(g)}
            onNotDuplicates={() => void notDuplicates(g)}
            onOpen={(index) => actions.open(g.members.map((m) => m.id), index)}
          />
        ))}
      </div>
    );

  return (
    <div className="view" data-testid="duplicates-view">
      <ViewHeader
        title="Duplicates"
        subtitle={query.data ? `${formatCount(counts.all, 'group')} · ${formatBytes(reclaimable)} can be freed` : ' '}
      >
        <div className="segmented" role="tablist" aria-label="Tier">
          {(['all', 'exact', 'near', 'similar'] as Filter[]).map((f) => (
            <button key={f} type="button" role="tab" aria-selected={filter === f} className={filter === f ? 'active' : ''} onClick={() => setFilter(f)}>
              {f === 'all' ? 'All' : TIER_LABEL[f]}
              <span className="segmented-count">{counts[f]}</span>
            </button>
          ))}
        </div>
        {(filter === 'exact' || filter === 'near') && counts[filter] > 0 && (
          <button type="button" className="btn danger" onClick={() => setBulk(filter)} disabled={busy} data-testid="resolve-all">
            <Icon name="trash" size={16} /> Resolve all {counts[filter]}…
          </button>
        )}
        <button type="button" className="btn" onClick={() => void undo()} title="Undo the last resolve (U)" data-testid="undo">
          <Icon name="undo" size={16} /> Undo
        </button>
      </ViewHeader>
      <div className="keys-hint" aria-label="Keyboard shortcuts">
        <span>
          <Kbd>↑</Kbd>
          <Kbd>↓</Kbd> group
        </span>
        <span>
          <Kbd>←</Kbd>
          <Kbd>→</Kbd> keeper
        </span>
        <span>
          <Kbd>Enter</Kbd> keep &amp; trash the others
        </span>
        <span>
          <Kbd>N</Kbd> not duplicates
        </span>
        <span>
          <Kbd>U</Kbd> undo
        </span>
      </div>
      <div className="view-body scroll">{body}</div>
      {bulk && (
        <BulkSummary
          tier={bulk}
          groups={groups.filter((g) => g.tier === bulk)}
          keeperOf={keeperOf}
          onCancel={() => setBulk(null)}
          onConfirm={(list) => void resolveAll(list)}
        />
      )}
      {confirming && (
        <ConfirmSimilar
          group={confirming}
          keeperId={keeperOf(confirming)}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const g = confirming;
            setConfirming(null);
            void resolve(g);
          }}
        />
      )}
    </div>
  );
}

/** The one summary before a whole tier is resolved: how much goes, how the keepers were chosen. */
function BulkSummary({ tier, groups, keeperOf, onCancel, onConfirm }: { tier: 'exact' | 'near'; groups: DupeGroup[]; keeperOf: (g: DupeGroup) => number; onCancel: () => void; onConfirm: (groups: DupeGroup[]) => void }) {
  const losers = groups.flatMap((g) => g.members.filter((m) => m.id !== keeperOf(g)));
  const bytes = losers.reduce((s, m) => s + m.size, 0);
  // Why the keepers were chosen, by the first reason of each ("highest resolution", …).
  const reasons = new Map<string, number>();
  for (const g of groups) {
    const reason = g.keeperId !== keeperOf(g) ? 'your choice' : (g.keeperReason ?? 'suggested').split(/[;(]/)[0].trim();
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return (
    <Dialog
      title={`Resolve every ${TIER_LABEL[tier].toLowerCase()} group?`}
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="btn" onClick={onCancel} data-testid="cancel-resolve-all">
            Cancel
          </button>
          <button type="button" className="btn danger" onClick={() => onConfirm(groups)} data-testid="confirm-resolve-all">
            <Icon name="trash" size={16} /> Move {formatCount(losers.length, 'photo')} to the trash
          </button>
        </>
      }
    >
      <div data-testid="bulk-summary">
        <p>
          <strong>
            {formatCount(losers.length, 'file')}, {formatBytes(bytes)}
          </strong>{' '}
          from {formatCount(groups.length, 'group')} go to the trash; one photo of each group stays.
        </p>
        <p className="muted small">Keepers chosen by: {[...reasons].map(([r, n]) => `${r} (${n})`).join(', ')}.</p>
        <p className="muted small">Tags and captions of the trashed copies are added to the photo that stays. One Undo brings everything back.</p>
      </div>
    </Dialog>
  );
}

/** The deliberate step before trashing similar shots: they are different photos, not copies. */
function ConfirmSimilar({ group, keeperId, onCancel, onConfirm }: { group: DupeGroup; keeperId: number; onCancel: () => void; onConfirm: () => void }) {
  const keeper = group.members.find((m) => m.id === keeperId);
  const others = group.members.filter((m) => m.id !== keeperId);
  const bytes = others.reduce((s, m) => s + m.size, 0);
  return (
    <Dialog
      title="Trash similar shots?"
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="btn" onClick={onCancel} data-testid="cancel-resolve">
            Cancel
          </button>
          <button type="button" className="btn danger" onClick={onConfirm} data-testid="confirm-resolve">
            <Icon name="trash" size={16} /> Move {formatCount(others.length, 'photo')} to the trash
          </button>
        </>
      }
    >
      <div data-testid="confirm-similar">
        <p>
          These {group.members.length} photos look alike but are <strong>different pictures</strong> (taken moments apart, or edited), not copies of one
          another. Only <strong>{keeper?.name ?? 'the keeper'}</strong> would stay; {formatCount(others.length, 'photo')} ({formatBytes(bytes)}) would go to
          the trash.
        </p>
        <p className="muted small">Look at each one first. Undo brings them back.</p>
      </div>
    </Dialog>
  );
}

/** The evidence that ties a member to the rest of its group. */
function why(group: DupeGroup, id: number) {
  return group.evidence.find((e) => e.ids && (e.ids[1] === id || e.ids[0] === id)) ?? null;
}

function GroupCard({
  group,
  index,
  active,
  keeperId,
  busy,
  onActivate,
  onKeeper,
  onResolve,
  onNotDuplicates,
  onOpen,
}: {
  group: DupeGroup;
  index: number;
  active: boolean;
  keeperId: number;
  busy: boolean;
  onActivate: () => void;
  onKeeper: (id: number) => void;
  onResolve: () => void;
  onNotDuplicates: () => void;
  onOpen: (index: number) => void;
}) {
  const others = group.members.length - 1;
  const largest = Math.max(...group.members.map((m) => (m.width ?? 0) * (m.height ?? 0)));
  return (
    <section
      className={`dupe-group${active ? ' active' : ''}`}
      data-group-index={index}
      data-testid="dupe-group"
      onPointerDown={onActivate}
      aria-label={`${TIER_LABEL[group.tier]} group of ${group.members.length} photos`}
    >
      <header className="dupe-group-header">
        <span className={`tier tier-${group.tier}`} title={TIER_HINT[group.tier]} data-testid="dupe-tier">
          {TIER_LABEL[group.tier]}
        </span>
        <span className="muted">{formatCount(group.members.length, 'photo')}</span>
        <ul className="evidence" data-testid="dupe-evidence" title={group.evidence[0]?.label}>
          {(group.evidence[0]?.details ?? []).slice(0, 5).map((d) => (
            <li key={d} className="evidence-chip">
              {d}
            </li>
          ))}
          {group.evidence.length > 1 && <li className="evidence-chip muted">+{group.evidence.length - 1} more pairs</li>}
        </ul>
      </header>
      <div className="dupe-members">
        {group.members.map((m, i) => {
          const keeper = m.id === keeperId;
          const pixels = (m.width ?? 0) * (m.height ?? 0);
          return (
            <figure
              key={m.id}
              className={`dupe-member${keeper ? ' keeper' : ' loser'}`}
              data-testid="dupe-member"
              data-keeper={keeper}
              onClick={() => onKeeper(m.id)}
              onDoubleClick={() => onOpen(i)}
            >
              <div className="dupe-thumb">
                <img src={thumbUrl(m.id)} alt={m.name} draggable={false} />
                <span className={`keep-badge${keeper ? '' : ' trash'}`}>
                  <Icon name={keeper ? 'check' : 'trash'} size={13} /> {keeper ? 'Keep' : 'Trash'}
                </span>
              </div>
              <figcaption>
                <div className="dupe-name" title={m.path}>
                  {m.name}
                </div>
                <div className="dupe-meta">
                  <span className={pixels === largest && pixels > 0 ? 'best' : ''}>{m.width && m.height ? `${m.width} × ${m.height}` : 'Unknown size'}</span>
                  <span>{formatBytes(m.size)}</span>
                  {m.format && <span>{m.format.toUpperCase()}</span>}
                </div>
                {!keeper && why(group, m.id) && (
                  <div className="dupe-why" title={why(group, m.id)!.label}>
                    {why(group, m.id)!.details.slice(0, 2).join(' · ')}
                  </div>
                )}
                <div className="dupe-meta muted">
                  <span>{formatDate(m.takenAt, m.mtimeMs)}</span>
                  <span className="dupe-folder" title={m.folder}>
                    {m.folder.split(/[\\/]/).filter(Boolean).slice(-1)[0] ?? m.folder}
                  </span>
                </div>
              </figcaption>
            </figure>
          );
        })}
      </div>
      <footer className="dupe-group-footer">
        {group.keeperReason && (
          <span className="muted small">
            <Icon name="info" size={13} /> Suggested keeper: {group.keeperReason}
          </span>
        )}
        <div className="dupe-actions">
          <button type="button" className="btn" onClick={onNotDuplicates} data-testid="not-duplicates">
            <Icon name="split" size={16} /> Not duplicates
          </button>
          <button type="button" className="btn danger" disabled={busy} onClick={onResolve} data-testid="resolve-group">
            <Icon name="trash" size={16} /> Keep 1, trash {others}
            {group.tier === 'similar' ? '…' : ''}
          </button>
        </div>
      </footer>
    </section>
  );
}
