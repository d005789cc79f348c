/**
 * What can be done with photos from any view: open them in the detail view, find similar, and the
 * right-click menu. In the desktop app the menu is native (the `photoMenu` call answers which item
 * was chosen); in the web mode it is the renderer's own <ContextMenu>.
 */
import { createContext, useCallback, useContext, useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import type { PhotoMenuAction } from '../../../preload/contract';
import { useClient } from '../api/hooks';
import { ContextMenu, type MenuItem } from '../components/ContextMenu';
import { useToast } from '../components/Toasts';
import type { Route } from './route';

export interface PhotoActions {
  /** Opens the detail view on `ids[index]`, browsable through `ids`. */
  open(ids: readonly number[], index: number): void;
  findSimilar(ids: number[]): void;
  /** Right-click on photo `ids[index]`; the menu acts on `selection` when the photo is in it. */
  showMenu(event: MouseEvent, ids: readonly number[], index: number, selection?: ReadonlySet<number>): void;
}

const Ctx = createContext<PhotoActions | null>(null);

export function usePhotoActions(): PhotoActions {
  const actions = useContext(Ctx);
  if (!actions) throw new Error('usePhotoActions outside <PhotoActionsProvider>');
  return actions;
}

interface OpenMenu {
  x: number;
  y: number;
  targets: number[];
  list: readonly number[];
  index: number;
}

export function PhotoActionsProvider({
  children,
  navigate,
  openDetail,
}: {
  children: ReactNode;
  navigate: (route: Route) => void;
  openDetail: (ids: readonly number[], index: number) => void;
}) {
  const client = useClient();
  const toast = useToast();
  const [menu, setMenu] = useState<OpenMenu | null>(null);

  const findSimilar = useCallback((ids: number[]) => navigate({ view: 'similar', ids: ids.slice(0, 100) }), [navigate]);

  const act = useCallback(
    async (action: PhotoMenuAction, targets: number[], list: readonly number[], index: number) => {
      switch (action) {
        case 'open':
          openDetail(list, index);
          break;
        case 'similar':
          findSimilar(targets);
          break;
        case 'reveal':
          await client.call('reveal', { id: targets[0] }).catch((e: Error) => toast.show({ message: e.message, tone: 'error' }));
          break;
        case 'copy-path': {
          const photos = await client.call('photos', { ids: targets });
          try {
            await navigator.clipboard.writeText(photos.map((p) => p.path).join('\n'));
            toast.show({ message: photos.length === 1 ? 'Path copied' : `${photos.length} paths copied`, tone: 'success' }, 2500);
          } catch {
            toast.show({ message: 'The clipboard is not available here', tone: 'error' });
          }
          break;
        }
        case null:
          break;
      }
    },
    [client, findSimilar, openDetail, toast],
  );

  const showMenu = useCallback(
    (event: MouseEvent, list: readonly number[], index: number, selection?: ReadonlySet<number>) => {
      const id = list[index];
      const targets = selection && selection.has(id) ? [...selection] : [id];
      if (client.mode === 'electron') {
        client.call('photoMenu', { ids: targets }).then(
          ({ action }) => act(action, targets, list, index),
          (e: Error) => toast.show({ message: e.message, tone: 'error' }),
        );
        return;
      }
      setMenu({ x: event.clientX, y: event.clientY, targets, list, index });
    },
    [client, act, toast],
  );

  const value = useMemo<PhotoActions>(() => ({ open: openDetail, findSimilar, showMenu }), [openDetail, findSimilar, showMenu]);

  const items: MenuItem[] = menu
    ? [
        { id: 'open', label: 'Open', icon: 'photos', hint: 'Enter' },
        { id: 'similar', label: menu.targets.length > 1 ? `More like these ${menu.targets.length}` : 'Find similar', icon: 'sparkles', hint: 'S' },
        { id: 'copy-path', label: menu.targets.length > 1 ? 'Copy paths' : 'Copy path', icon: 'copy', separatorBefore: true },
      ]
    : [];

  return (
    <Ctx.Provider value={value}>
      {children}
      {menu && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          items={items}
          onClose={() => setMenu(null)}
          onChoose={(id) => void act(id as PhotoMenuAction, menu.targets, menu.list, menu.index)}
        />
      )}
    </Ctx.Provider>
  );
}
