/**
 * The detail view, over whatever view opened it: the photo large (the thumbnail first, the original
 * once loaded), its EXIF and tags beside it. ←/→ browse the list it was opened from, Esc closes,
 * S finds similar photos.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { PhotoInfo } from '../../../../preload/contract';
import { originalUrl, thumbUrl } from '../../api';
import { useAvailable, useClient } from '../../api/hooks';
import { useCall } from '../../api/queries';
import { FaceBoxes } from '../people/FaceBoxes';
import { usePhotoActions } from '../../app/photo-actions';
import { formatAperture, formatBytes, formatDateTime, formatExposureTime, formatFocalLength, formatIso } from '../../components/format';
import { Icon } from '../../components/Icon';
import { ErrorState, Spinner } from '../../components/States';
import { useToast } from '../../components/Toasts';

const BROWSER_FORMATS = /\.(jpe?g|png|webp|gif|avif|bmp)$/i;

export function PhotoDetail({ ids, index, onIndex, onClose }: { ids: readonly number[]; index: number; onIndex: (i: number) => void; onClose: () => void }) {
  const actions = usePhotoActions();
  const id = ids[index];
  const query = useCall('photo', { id });
  const [fullLoaded, setFullLoaded] = useState(false);
  /** Shown at 100 % (one image pixel per screen pixel), scrollable, instead of fitted. */
  const [actual, setActual] = useState<{ width: number } | null>(null);
  const [natural, setNatural] = useState<number | null>(null);
  useEffect(() => {
    setFullLoaded(false);
    setActual(null);
    setNatural(null);
  }, [id]);
  const toggleActual = () => setActual((a) => (a || !natural ? null : { width: natural / (window.devicePixelRatio || 1) }));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA') return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        onClose();
      } else if (e.key === 'ArrowLeft' && index > 0) {
        e.preventDefault();
        onIndex(index - 1);
      } else if (e.key === 'ArrowRight' && index < ids.length - 1) {
        e.preventDefault();
        onIndex(index + 1);
      } else if (e.key.toLowerCase() === 'z' && !e.metaKey && !e.ctrlKey) {
        e.preventDefault();
        toggleActual();
      } else if (e.key.toLowerCase() === 's' && !e.metaKey && !e.ctrlKey) {
        e.preventDefault();
        onClose();
        actions.findSimilar([id]);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [index, ids.length, onIndex, onClose, actions, id, natural]);

  const photo = query.data;
  const showOriginal = photo ? BROWSER_FORMATS.test(photo.path) : false;

  return (
    <div className="detail" role="dialog" aria-modal="true" aria-label={photo?.name ?? 'Photo'} data-testid="photo-detail">
      <div className="detail-stage">
        <div className="detail-topbar">
          <button type="button" className="icon-btn on-dark" onClick={onClose} aria-label="Close" title="Close (Esc)">
            <Icon name="x" />
          </button>
          <span className="detail-counter">
            {(index + 1).toLocaleString()} of {ids.length.toLocaleString()}
          </span>
          {showOriginal && (
            <button
              type="button"
              className="btn small on-dark detail-zoom"
              onClick={toggleActual}
              disabled={!natural}
              aria-pressed={!!actual}
              title="Show at 100 % (Z)"
              data-testid="zoom-actual"
            >
              {actual ? 'Fit to window' : 'Zoom to 100 %'}
            </button>
          )}
        </div>
        {index > 0 && (
          <button type="button" className="detail-nav prev" aria-label="Previous photo" onClick={() => onIndex(index - 1)}>
            <Icon name="chevron-left" size={28} />
          </button>
        )}
        {index < ids.length - 1 && (
          <button type="button" className="detail-nav next" aria-label="Next photo" onClick={() => onIndex(index + 1)}>
            <Icon name="chevron-right" size={28} />
          </button>
        )}
        <img key={`t${id}`} className="detail-image preview" src={thumbUrl(id)} alt="" draggable={false} hidden={fullLoaded} />
        {showOriginal && (
          <img
            key={`o${id}`}
            className={`detail-image full${fullLoaded ? ' loaded' : ''}`}
            src={originalUrl(id)}
            alt={photo?.name ?? ''}
            draggable={false}
            hidden={!!actual}
            onLoad={(e) => {
              setFullLoaded(true);
              setNatural(e.currentTarget.naturalWidth);
            }}
            onDoubleClick={toggleActual}
          />
        )}
        {!actual && <FaceBoxes photoId={id} width={photo?.width ?? null} height={photo?.height ?? null} />}
        {actual && (
          <div className="detail-actual" data-testid="detail-actual" onDoubleClick={toggleActual}>
            <img src={originalUrl(id)} alt={photo?.name ?? ''} draggable={false} style={{ width: actual.width }} />
          </div>
        )}
      </div>
      <aside className="detail-panel">
        {query.error ? (
          <ErrorState error={query.error} onRetry={query.reload} />
        ) : !photo ? (
          query.loading ? <Spinner label="Loading…" /> : <p className="muted">This photo is no longer in the library.</p>
        ) : (
          <DetailPanel photo={photo} onChanged={query.reload} onSimilar={() => { onClose(); actions.findSimilar([photo.id]); }} />
        )}
      </aside>
    </div>
  );
}

function DetailPanel({ photo, onChanged, onSimilar }: { photo: PhotoInfo; onChanged: () => void; onSimilar: () => void }) {
  const client = useClient();
  const toast = useToast();
  const canReveal = useAvailable('reveal') && client.mode === 'electron';
  const copyPath = async () => {
    try {
      await navigator.clipboard.writeText(photo.path);
      toast.show({ message: 'Path copied', tone: 'success' }, 2000);
    } catch {
      toast.show({ message: 'The clipboard is not available here; select the path below to copy it', tone: 'error' });
    }
  };
  const hasGps = photo.gpsLat !== null && photo.gpsLon !== null;
  const rows: [string, string | null][] = [
    ['Taken', photo.takenAt ? formatDateTime(photo.takenAt) : null],
    ['Modified', formatDateTime(null, photo.mtimeMs)],
    ['Dimensions', photo.width && photo.height ? `${photo.width} × ${photo.height}  ·  ${((photo.width * photo.height) / 1e6).toFixed(1)} MP` : null],
    ['File size', formatBytes(photo.size)],
    ['Format', photo.format?.toUpperCase() ?? null],
    ['Camera', photo.camera],
    ['Lens', photo.lens],
    ['Exposure', formatExposureTime(photo.exposureTime)],
    ['Aperture', formatAperture(photo.fNumber)],
    ['ISO', formatIso(photo.iso)],
    ['Focal length', formatFocalLength(photo.focalLength)],
  ];
  return (
    <div className="detail-info">
      <h2 className="detail-name" title={photo.name}>
        {photo.name}
      </h2>
      <p className="detail-date">{formatDateTime(photo.takenAt, photo.mtimeMs)}</p>
      <div className="detail-actions">
        <button type="button" className="btn primary" onClick={onSimilar} data-testid="detail-find-similar">
          <Icon name="sparkles" size={16} /> Find similar
        </button>
        {canReveal && (
          <button type="button" className="btn" onClick={() => void client.call('reveal', { id: photo.id }).catch((e: Error) => toast.show({ message: e.message, tone: 'error' }))}>
            <Icon name="folder" size={16} /> Show in folder
          </button>
        )}
      </div>
      <h3 className="panel-heading">Details</h3>
      <dl className="exif" data-testid="exif">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k} className="exif-row" data-fact={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        {hasGps && (
          <div className="exif-row">
            <dt>Location</dt>
            <dd>
              <a
                href={`https://www.openstreetmap.org/?mlat=${photo.gpsLat!.toFixed(6)}&mlon=${photo.gpsLon!.toFixed(6)}#map=15/${photo.gpsLat!.toFixed(5)}/${photo.gpsLon!.toFixed(5)}`}
                target="_blank"
                rel="noreferrer noopener"
                data-testid="gps-link"
              >
                {photo.gpsLat!.toFixed(5)}, {photo.gpsLon!.toFixed(5)}
              </a>
            </dd>
          </div>
        )}
      </dl>
      <h3 className="panel-heading">Caption</h3>
      <CaptionEditor photo={photo} onChanged={onChanged} />
      <h3 className="panel-heading">Tags</h3>
      <TagEditor photo={photo} onChanged={onChanged} />
      <FoundInPhoto photo={photo} onChanged={onChanged} />
      <h3 className="panel-heading">File</h3>
      <p className="detail-path" title={photo.path} data-testid="detail-path">
        {photo.path}
      </p>
      <div className="detail-actions">
        <button type="button" className="btn small" onClick={() => void copyPath()} data-testid="copy-path">
          <Icon name="copy" size={14} /> Copy path
        </button>
      </div>
      {photo.status === 'failed' && photo.error && <p className="warn">Indexing failed: {photo.error}</p>}
    </div>
  );
}

function CaptionEditor({ photo, onChanged }: { photo: PhotoInfo; onChanged: () => void }) {
  const client = useClient();
  const toast = useToast();
  const available = useAvailable('caption');
  const saved = photo.caption ?? '';
  const [draft, setDraft] = useState(saved);
  useEffect(() => setDraft(saved), [saved, photo.id]);
  const save = async () => {
    if (draft.trim() === saved.trim()) return;
    try {
      await client.call('caption', { id: photo.id, text: draft });
      toast.show({ message: draft.trim() ? 'Caption saved' : 'Caption removed', tone: 'success' }, 2000);
      onChanged();
    } catch (error) {
      toast.show({ message: (error as Error).message, tone: 'error' });
    }
  };
  if (!available) return <p className="muted small">{saved || 'No caption'}</p>;
  return (
    <textarea
      className="caption-input"
      value={draft}
      rows={2}
      maxLength={2000}
      placeholder="Add a caption… (Enter saves; searchable, kept in the library only)"
      aria-label="Caption"
      data-testid="caption-input"
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => void save()}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !e.shiftKey) {
          e.preventDefault();
          void save();
        } else if (e.key === 'Escape') {
          e.stopPropagation();
          setDraft(saved);
          e.currentTarget.blur();
        }
      }}
    />
  );
}

function TagEditor({ photo, onChanged }: { photo: PhotoInfo; onChanged: () => void }) {
  const client = useClient();
  const toast = useToast();
  const available = useAvailable('tag');
  const [draft, setDraft] = useState('');
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const tags = draft.split(',').map((t) => t.trim()).filter(Boolean);
    if (!tags.length) return;
    try {
      await client.call('tag', { ids: [photo.id], tags });
      setDraft('');
      onChanged();
    } catch (error) {
      toast.show({ message: (error as Error).message, tone: 'error' });
    }
  };
  const remove = useUntag(photo, onChanged);
  return (
    <div className="tags" data-testid="tags">
      <div className="chips">
        {photo.tags.map((t) => (
          <span key={t} className="chip">
            <Icon name="tag" size={12} /> {t}
            {available && (
              <button type="button" aria-label={`Remove tag ${t}`} onClick={() => void remove(t)}>
                <Icon name="x" size={12} />
              </button>
            )}
          </span>
        ))}
        {photo.tags.length === 0 && <span className="muted small">No tags</span>}
      </div>
      {available ? (
        <form onSubmit={add} className="tag-form">
          <input type="text" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Add a tag…" aria-label="Add a tag" maxLength={64} />
        </form>
      ) : (
        <p className="muted small">Tagging arrives with a later version of the engine.</p>
      )}
    </div>
  );
}

/** Removes one tag (a user's, or an automatic one) from the photo; a failure is shown as a toast. */
function useUntag(photo: PhotoInfo, onChanged: () => void): (tag: string) => Promise<void> {
  const client = useClient();
  const toast = useToast();
  return async (tag: string) => {
    try {
      await client.call('untag', { ids: [photo.id], tags: [tag] });
      onChanged();
    } catch (error) {
      toast.show({ message: (error as Error).message, tone: 'error' });
    }
  };
}

/** Automatic tags (marked as such, with the detector's confidence) and the text read in the photo. */
function FoundInPhoto({ photo, onChanged }: { photo: PhotoInfo; onChanged: () => void }) {
  const available = useAvailable('untag');
  // Removing an automatic tag is remembered: annotating the photo again does not bring it back.
  const remove = useUntag(photo, onChanged);
  const auto = photo.auto ?? [];
  if (auto.length === 0 && !photo.text) return null;
  return (
    <div data-testid="found-in-photo">
      {auto.length > 0 && (
        <>
          <h3 className="panel-heading">Found in the photo (automatic)</h3>
          <div className="chips">
            {auto.map((a) => (
              <span key={a.tag} className="chip" title={`automatic tag, confidence ${Math.round(a.score * 100)} %`}>
                {a.tag} <span className="muted small">{Math.round(a.score * 100)} %</span>
                {available && (
                  <button type="button" aria-label={`Remove automatic tag ${a.tag}`} onClick={() => void remove(a.tag)}>
                    <Icon name="x" size={12} />
                  </button>
                )}
              </span>
            ))}
          </div>
        </>
      )}
      {photo.text && (
        <>
          <h3 className="panel-heading">Text in the photo</h3>
          <p className="detail-text">{photo.text}</p>
        </>
      )}
    </div>
  );
}
