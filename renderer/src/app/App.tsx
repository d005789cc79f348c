/**
 * The shell: sidebar + current view, the detail overlay, drag-and-drop reverse image search,
 * global shortcuts, and the live status (indexing progress arrives as events).
 */
import { QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { MAX_IMAGE_BYTES, type AppInfo, type LikenessEvent } from '../../../preload/contract';
import { ApiFailure, type LikenessClient } from '../api';
import { AppInfoContext, ClientContext, useClient, useConnected, useEvents } from '../api/hooks';
import { useLiveQueries } from '../api/live';
import { createQueryClient, useCall } from '../api/queries';
import { Icon } from '../components/Icon';
import { ToastProvider, useToast } from '../components/Toasts';
import { ClustersView } from '../features/clusters/ClustersView';
import { PeopleView } from '../features/people/PeopleView';
import { ThingsView } from '../features/things/ThingsView';
import { PhotoDetail } from '../features/detail/PhotoDetail';
import { DuplicatesView } from '../features/duplicates/DuplicatesView';
import { LibraryView } from '../features/library/LibraryView';
import { SearchView } from '../features/search/SearchView';
import { SettingsView } from '../features/settings/SettingsView';
import { ImageSearchView, type ImageQuery } from '../features/similar/ImageSearchView';
import { SimilarView } from '../features/similar/SimilarView';
import { usePersistentState } from './persist';
import { PhotoActionsProvider } from './photo-actions';
import type { Route } from './route';
import { useRoute } from './use-route';
import { ShortcutsDialog } from './ShortcutsDialog';
import { Sidebar } from './Sidebar';
import { useTheme } from './theme';

export function App({ client }: { client: LikenessClient }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [queries] = useState(createQueryClient);
  useEffect(() => {
    client.call('appInfo').then(setInfo, () => setInfo(null));
  }, [client]);
  return (
    <ClientContext.Provider value={client}>
      <QueryClientProvider client={queries}>
        <AppInfoContext.Provider value={info}>
          <ToastProvider>
            <Shell />
          </ToastProvider>
        </AppInfoContext.Provider>
      </QueryClientProvider>
    </ClientContext.Provider>
  );
}

function Shell() {
  const client = useClient();
  const toast = useToast();
  const theme = useTheme();
  const [route, navigate] = useRoute();
  const [detail, setDetail] = useState<{ ids: readonly number[]; index: number } | null>(null);
  const [imageQuery, setImageQuery] = useState<ImageQuery | null>(null);
  const [dragging, setDragging] = useState(false);
  const [showKeys, setShowKeys] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const connected = useConnected();
  // The sidebar folds to icons in small windows unless the user opened it (and folds on request).
  const narrow = useMediaQuery('(max-width: 1000px)');
  const [sidebarChoice, setSidebarChoice] = usePersistentState<'auto' | 'open' | 'collapsed'>('sidebar', 'auto');
  const collapsed = sidebarChoice === 'collapsed' || (sidebarChoice === 'auto' && narrow);
  const toggleSidebar = useCallback(() => setSidebarChoice(collapsed ? (narrow ? 'open' : 'auto') : narrow ? 'auto' : 'collapsed'), [collapsed, narrow, setSidebarChoice]);

  useLiveQueries();
  const status = useCall('status', {});
  const folders = useCall('folders', {});
  const liveStatus = status.data;
  const reloadStatus = status.reload;
  const onEvent = useCallback(
    (event: LikenessEvent) => {
      switch (event.type) {
        case 'menu':
          switch (event.command) {
            case 'view:library':
              return navigate({ view: 'library' });
            case 'view:duplicates':
              return navigate({ view: 'duplicates' });
            case 'view:clusters':
              return navigate({ view: 'clusters' });
            case 'view:search':
              return navigate({ view: 'search' });
            case 'view:people':
              return navigate({ view: 'people' });
            case 'view:settings':
            case 'library:add-folder':
              return navigate({ view: 'settings' });
            case 'library:reindex':
              void client.call('startIndexing').then(reloadStatus);
              return;
            case 'theme:toggle':
              return theme.toggle();
          }
          break;
        case 'notice':
          toast.show({ message: event.message, tone: event.level === 'error' ? 'error' : 'info' }, event.level === 'info' ? 4000 : 9000);
          break;
        case 'photo-action':
          if (event.action === 'similar') navigate({ view: 'similar', ids: event.ids });
          break;
      }
    },
    [client, navigate, reloadStatus, theme, toast],
  );
  useEvents(onEvent);

  const openDetail = useCallback((ids: readonly number[], index: number) => setDetail({ ids, index }), []);
  const closeDetail = useCallback(() => setDetail(null), []);
  const setDetailIndex = useCallback((index: number) => setDetail((d) => (d ? { ...d, index } : d)), []);

  const searchImage = useCallback(
    async (file: File) => {
      if (!file.type.startsWith('image/') && !/\.(jpe?g|png|webp|gif|heic|heif|avif|tiff?|bmp)$/i.test(file.name)) {
        toast.show({ message: `${file.name} is not an image`, tone: 'error' });
        return;
      }
      if (file.size > MAX_IMAGE_BYTES) {
        toast.show({ message: `That image is too large to search with (${MAX_IMAGE_BYTES / (1 << 20)} MB at most)`, tone: 'error' });
        return;
      }
      setImageQuery((old) => {
        if (old) URL.revokeObjectURL(old.previewUrl);
        return { name: file.name, size: file.size, previewUrl: URL.createObjectURL(file) };
      });
      navigate({ view: 'image-search' });
      try {
        // Its bytes as they are: the request body over HTTP, a Uint8Array over IPC.
        const image = new Uint8Array(await file.arrayBuffer());
        const result = await client.call('similarToImage', { image });
        setImageQuery((q) => (q && q.name === file.name ? { ...q, result } : q));
      } catch (error) {
        const failure = error instanceof ApiFailure ? error : new ApiFailure('internal', String(error));
        setImageQuery((q) => (q && q.name === file.name ? { ...q, error: failure } : q));
      }
    },
    [client, navigate, toast],
  );

  // Drag-and-drop of an image from outside the window: reverse image search.
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer!.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = e.dataTransfer!.files[0];
      if (file) void searchImage(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [searchImage]);

  // An image pasted from the clipboard (a screenshot, a copied photo): reverse image search.
  // Text pasted into a field stays text.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const file = [...(e.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
      if (!file) return;
      e.preventDefault();
      void searchImage(file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [searchImage]);

  // Global shortcuts: Alt+1…5 switch views, "/" opens search.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return;
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        const views: Route[] = [{ view: 'library' }, { view: 'duplicates' }, { view: 'clusters' }, { view: 'search' }, { view: 'people' }];
        const n = Number(e.key) - 1;
        if (views[n]) {
          e.preventDefault();
          navigate(views[n]);
        }
      } else if (e.key === '?' && !detail) {
        e.preventDefault();
        setShowKeys(true);
      } else if (e.key === '/' && !detail) {
        e.preventDefault();
        navigate({ view: 'search' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, detail]);

  const roots = liveStatus?.roots ?? [];
  let view;
  switch (route.view) {
    case 'library':
      view = <LibraryView folder={route.folder} status={liveStatus} navigate={navigate} />;
      break;
    case 'similar':
      view = <SimilarView ids={route.ids} navigate={navigate} />;
      break;
    case 'image-search':
      view = <ImageSearchView query={imageQuery} onPick={() => fileInput.current?.click()} navigate={navigate} />;
      break;
    case 'duplicates':
      view = <DuplicatesView />;
      break;
    case 'clusters':
      view = <ClustersView cluster={route.cluster} navigate={navigate} />;
      break;
    case 'people':
      view = <PeopleView person={route.person} navigate={navigate} />;
      break;
    case 'search':
      view = <SearchView initial={route.q} folders={folders.data} roots={roots} navigate={navigate} onSearchWithPhoto={() => fileInput.current?.click()} />;
      break;
    case 'things':
      view = <ThingsView navigate={navigate} />;
      break;
    case 'settings':
      view = <SettingsView status={liveStatus} onStatusChanged={reloadStatus} theme={theme.choice} onTheme={theme.setChoice} />;
      break;
  }

  if (status.error?.code === 'unauthorised') {
    return (
      <div className="fatal">
        <Icon name="alert" size={32} />
        <h1>Open the link from the terminal</h1>
        <p>{status.error.message}</p>
      </div>
    );
  }

  return (
    <PhotoActionsProvider navigate={navigate} openDetail={openDetail}>
      <div className={`app${collapsed ? ' sidebar-collapsed' : ''}`}>
        <Sidebar
          route={route}
          navigate={navigate}
          status={liveStatus}
          folders={folders.data}
          theme={theme.effective}
          onToggleTheme={theme.toggle}
          onShowShortcuts={() => setShowKeys(true)}
          collapsed={collapsed}
          onToggleCollapsed={toggleSidebar}
        />
        <main className="main" key={route.view === 'clusters' ? 'clusters' : JSON.stringify(route)}>
          {view}
        </main>
      </div>
      {!connected && <ConnectionLost mode={client.mode} />}
      {showKeys && <ShortcutsDialog onClose={() => setShowKeys(false)} />}
      {detail && <PhotoDetail ids={detail.ids} index={detail.index} onIndex={setDetailIndex} onClose={closeDetail} />}
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div className="drop-card">
            <Icon name="image-search" size={40} />
            <h2>Drop to find similar photos</h2>
            <p>Likeness compares the image with every photo in your library. The image is not added. (Pasting an image, Ctrl+V, works too.)</p>
          </div>
        </div>
      )}
      <input
        ref={fileInput}
        type="file"
        accept="image/*"
        hidden
        data-testid="image-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void searchImage(file);
          e.target.value = '';
        }}
      />
    </PhotoActionsProvider>
  );
}

function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    list.addEventListener('change', onChange);
    onChange();
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

/** Said plainly when the server (or the desktop app's library service) stops answering. */
function ConnectionLost({ mode }: { mode: LikenessClient['mode'] }) {
  return (
    <div className="connection-banner" role="alert" data-testid="connection-lost">
      <Icon name="alert" size={18} />
      <div>
        {mode === 'web' ? (
          <>
            <strong>Lost the connection to Likeness</strong> — start it again with <code>likeness serve</code>
            <div className="small">Then open the link it prints. Nothing in your library is lost; this page reconnects on its own if the server comes back.</div>
          </>
        ) : (
          <>
            <strong>Lost the connection to the library</strong> — quit and start Likeness again
            <div className="small">Nothing in your library is lost.</div>
          </>
        )}
      </div>
    </div>
  );
}
