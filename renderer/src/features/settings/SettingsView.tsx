/** Settings: library folders (roots), duplicate and cluster thresholds, engine, theme, about. */
import { useState, type FormEvent } from 'react';
import { FaceRecognitionSetting } from '../people/FaceRecognitionSetting';
import type { LibraryStatus, SettingsPatch } from '../../../../preload/contract';
import { useAppInfo, useAvailable, useClient } from '../../api/hooks';
import { useCall } from '../../api/queries';
import type { ThemeChoice } from '../../app/theme';
import { Icon } from '../../components/Icon';
import { Dialog } from '../../components/Dialog';
import { formatCount } from '../../components/format';
import { ErrorState, Spinner } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { ViewHeader } from '../../components/ViewHeader';
import { DatabaseCheck } from './DatabaseCheck';

export function SettingsView({ status, onStatusChanged, theme, onTheme }: { status: LibraryStatus | undefined; onStatusChanged: () => void; theme: ThemeChoice; onTheme: (t: ThemeChoice) => void }) {
  const client = useClient();
  const info = useAppInfo();
  const settings = useCall('settings', {});
  const toast = useToast();
  const save = async (patch: SettingsPatch) => {
    try {
      await client.call('updateSettings', patch);
      settings.reload();
    } catch (error) {
      toast.show({ message: (error as Error).message, tone: 'error' });
    }
  };

  return (
    <div className="view" data-testid="settings-view">
      <ViewHeader title="Settings" />
      <div className="view-body scroll">
        <div className="settings">
          <Roots
            status={status}
            onChanged={onStatusChanged}
            references={settings.data?.referenceFolders ?? []}
            onReferences={(referenceFolders) => void save({ referenceFolders })}
          />
          {settings.error ? (
            <ErrorState error={settings.error} onRetry={settings.reload} />
          ) : !settings.data ? (
            <Spinner />
          ) : (
            <>
              {settings.data.duplicates && (
                <section className="settings-card" data-testid="duplicate-settings">
                  <h2>Duplicates</h2>
                  <Slider
                    label="Near copies: tolerance"
                    hint="How different a resized, recompressed or lightly edited copy may be. Higher finds more copies, and more false matches."
                    min={0.1}
                    max={0.4}
                    step={0.01}
                    value={settings.data.duplicates.near}
                    format={(v) => v.toFixed(2)}
                    onCommit={(v) => save({ duplicates: { near: v } })}
                  />
                  <Slider
                    label="Similar shots: likeness"
                    hint="How alike two shots of the same moment must look."
                    min={0.6}
                    max={0.98}
                    step={0.01}
                    value={settings.data.duplicates.similarCosine}
                    format={(v) => `${Math.round(v * 100)}%`}
                    onCommit={(v) => save({ duplicates: { similarCosine: v } })}
                  />
                  <Slider
                    label="Similar shots: time apart"
                    hint="Largest gap between their capture times (from EXIF)."
                    min={10}
                    max={3600}
                    step={10}
                    value={settings.data.duplicates.similarSeconds}
                    format={(v) => (v < 120 ? `${v} s` : `${Math.round(v / 60)} min`)}
                    onCommit={(v) => save({ duplicates: { similarSeconds: v } })}
                  />
                </section>
              )}
              <section className="settings-card">
                <h2>Clusters and similar photos</h2>
                <Slider label="Smallest cluster" min={2} max={20} step={1} value={settings.data.clusters.minSize} format={(v) => `${v} photos`} onCommit={(v) => save({ clusters: { minSize: v } })} />
                <Slider label="Results for “Find similar”" min={10} max={200} step={10} value={settings.data.similarCount} format={(v) => String(v)} onCommit={(v) => save({ similarCount: v })} />
              </section>
              <FaceRecognitionSetting />
              <section className="settings-card">
                <h2>Engine</h2>
                <p className="muted small">Which runtime computes the image embeddings. Auto picks ONNX Runtime when it can, else TF.js. Applies at the next launch.</p>
                <div className="segmented" role="radiogroup" aria-label="Engine">
                  {(['auto', 'onnx', 'tfjs'] as const).map((e) => (
                    <button key={e} type="button" role="radio" aria-checked={settings.data!.engine === e} className={settings.data!.engine === e ? 'active' : ''} onClick={() => void save({ engine: e })}>
                      {e === 'auto' ? 'Auto' : e === 'onnx' ? 'ONNX Runtime' : 'TF.js'}
                    </button>
                  ))}
                </div>
              </section>
            </>
          )}
          <DatabaseCheck />
          <section className="settings-card">
            <h2>Appearance</h2>
            <div className="segmented" role="radiogroup" aria-label="Theme">
              {(['system', 'light', 'dark'] as const).map((t) => (
                <button key={t} type="button" role="radio" aria-checked={theme === t} className={theme === t ? 'active' : ''} onClick={() => onTheme(t)}>
                  <Icon name={t === 'light' ? 'sun' : t === 'dark' ? 'moon' : 'settings'} size={15} /> {t[0].toUpperCase() + t.slice(1)}
                </button>
              ))}
            </div>
          </section>
          {info && (
            <section className="settings-card about">
              <h2>About</h2>
              <dl className="exif">
                <div className="exif-row"><dt>Version</dt><dd>{info.version}</dd></div>
                <div className="exif-row"><dt>Mode</dt><dd>{info.mode === 'electron' ? 'Desktop app' : 'Web (127.0.0.1 only)'}</dd></div>
                <div className="exif-row"><dt>Library</dt><dd className="path">{info.dbPath}</dd></div>
              </dl>
            </section>
          )}
        </div>
      </div>
    </div>
  );
}

function Roots({
  status,
  onChanged,
  references,
  onReferences,
}: {
  status: LibraryStatus | undefined;
  onChanged: () => void;
  /** Folders whose photos are always kept in duplicate groups. */
  references: string[];
  onReferences: (folders: string[]) => void;
}) {
  const client = useClient();
  const toast = useToast();
  const canRemove = useAvailable('removeRoot');
  const canPick = useAvailable('pickFolder') && client.mode === 'electron';
  const [draft, setDraft] = useState('');
  const [adding, setAdding] = useState(false);
  const [addError, setAddError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const roots = status?.roots ?? [];

  const add = async (folder: string) => {
    setAdding(true);
    setAddError(null);
    try {
      const before = roots;
      const after = await client.call('addRoot', { path: folder });
      const added = after.find((r) => !before.includes(r)) ?? folder;
      const covered = before.filter((r) => r.startsWith(added.endsWith('/') || added.endsWith('\\') ? added : `${added}/`) || r.startsWith(`${added}\\`));
      setDraft('');
      toast.show(
        {
          message: covered.length
            ? `Folder added; indexing started. It includes ${covered.join(', ')}, already in your library: those photos are not indexed twice.`
            : 'Folder added; indexing started',
          tone: 'success',
        },
        covered.length ? 6000 : 3000,
      );
      onChanged();
    } catch (error) {
      setAddError((error as Error).message);
    } finally {
      setAdding(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim()) void add(draft.trim());
  };
  const pick = async () => {
    const { path } = await client.call('pickFolder');
    if (path) void add(path);
  };
  const remove = async (root: string) => {
    setRemoving(null);
    try {
      await client.call('removeRoot', { path: root });
      toast.show({ message: `Removed ${root} from the library. The folder and its photos are still on disk.` }, 4000);
      onChanged();
    } catch (error) {
      toast.show({ message: (error as Error).message, tone: 'error' });
    }
  };
  const removingDetail = removing ? status?.rootDetails.find((r) => r.path === removing) : undefined;
  const rescan = async () => {
    await client.call('startIndexing');
    onChanged();
  };

  return (
    <section className="settings-card" data-testid="roots">
      <div className="card-title-row">
        <h2>Library folders</h2>
        {status?.indexing.watching && roots.some((r) => status.rootDetails.find((d) => d.path === r)?.online !== false) && (
          <span className="live-badge" title="New, changed, moved and deleted photos are picked up as they happen">
            <span className="live-dot" /> Watching for changes
          </span>
        )}
      </div>
      <p className="muted small">Likeness indexes the photos in these folders and their sub-folders. Originals are never modified.</p>
      <ul className="roots">
        {roots.map((root) => {
          const detail = status?.rootDetails.find((r) => r.path === root);
          return (
            <li key={root}>
              <Icon name="folder" size={16} />
              <span className="path" title={root}>{root}</span>
              {detail && (
                <span className="root-state">
                  {!detail.online && <span className="root-offline" title={detail.offlineSince ? `Since ${new Date(detail.offlineSince).toLocaleString()}` : undefined}>Offline</span>}
                  <span>{formatCount(detail.indexed, 'photo')}</span>
                  {detail.pending > 0 && <span>· {detail.pending.toLocaleString()} to index</span>}
                  {detail.failed > 0 && <span className="warn">· {detail.failed.toLocaleString()} failed</span>}
                </span>
              )}
              <label className="reference-toggle" title="Its photos are always the ones kept when duplicates are resolved, never trashed">
                <input
                  type="checkbox"
                  checked={references.includes(root)}
                  onChange={(e) => onReferences(e.target.checked ? [...references, root] : references.filter((r) => r !== root))}
                  aria-label={`${root} is a reference folder`}
                  data-testid="reference-toggle"
                />
                Reference
              </label>
              {canRemove && (
                <button type="button" className="icon-btn small" aria-label={`Remove ${root}`} title="Remove from library" onClick={() => setRemoving(root)}>
                  <Icon name="x" size={14} />
                </button>
              )}
            </li>
          );
        })}
        {status && status.roots.length === 0 && <li className="muted">No folders yet.</li>}
      </ul>
      <div className="roots-actions">
        {canPick ? (
          <button type="button" className="btn primary" onClick={() => void pick()} disabled={adding}>
            <Icon name="plus" size={16} /> Add folder…
          </button>
        ) : (
          <form onSubmit={submit} className="add-root">
            <input
              type="text"
              value={draft}
              onChange={(e) => {
                setDraft(e.target.value);
                setAddError(null);
              }}
              placeholder="/path/to/photos"
              aria-label="Folder path"
              aria-invalid={addError ? true : undefined}
              aria-describedby={addError ? 'root-error' : undefined}
              data-testid="root-input"
              autoFocus
            />
            <button type="submit" className="btn primary" disabled={adding || !draft.trim()} data-testid="add-root">
              <Icon name="plus" size={16} /> Add folder
            </button>
          </form>
        )}
        <button type="button" className="btn" onClick={() => void rescan()} disabled={status?.indexing.running} data-testid="rescan">
          <Icon name="refresh" size={16} /> Rescan now
        </button>
      </div>
      {addError && (
        <p className="field-error" role="alert" id="root-error" data-testid="root-error">
          <Icon name="alert" size={14} /> {addError}
        </p>
      )}
      {removing && (
        <Dialog
          title="Remove this folder from the library?"
          onClose={() => setRemoving(null)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setRemoving(null)} data-testid="cancel-remove-root">
                Cancel
              </button>
              <button type="button" className="btn danger" onClick={() => void remove(removing)} data-testid="confirm-remove-root">
                Remove from library
              </button>
            </>
          }
        >
          <div data-testid="remove-root-dialog">
            <p className="path">{removing}</p>
            <p>
              Likeness stops showing {removingDetail ? formatCount(removingDetail.indexed, 'photo') : 'the photos'} from this folder and forgets what it
              knew about them (their tags and captions).
            </p>
            <p>
              <strong>Nothing on disk is touched:</strong> the folder and its photos stay where they are. You can add it again at any time.
            </p>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function Slider({ label, hint, min, max, step, value, format, onCommit }: { label: string; hint?: string; min: number; max: number; step: number; value: number; format: (v: number) => string; onCommit: (v: number) => void }) {
  const [draft, setDraft] = useState<number | null>(null);
  const shown = draft ?? value;
  const commit = () => {
    if (draft !== null && draft !== value) onCommit(draft);
    setDraft(null);
  };
  return (
    <label className="slider">
      <div className="slider-top">
        <span>{label}</span>
        <span className="slider-value">{format(shown)}</span>
      </div>
      <input type="range" min={min} max={max} step={step} value={shown} onChange={(e) => setDraft(Number(e.target.value))} onPointerUp={commit} onKeyUp={commit} onBlur={commit} aria-label={label} />
      {hint && <span className="muted small">{hint}</span>}
    </label>
  );
}
