/**
 * Where the user is, kept in the URL hash (`#/duplicates`, `#/similar?ids=3,9`) so that the
 * browser's back and forward buttons work in the web mode and views can be linked to. Pure (no
 * React, no DOM), so the unit tests run it under Node; the hook is use-route.ts.
 */

export type Route =
  | { view: 'library'; folder?: string }
  | { view: 'similar'; ids: number[] }
  | { view: 'image-search' }
  | { view: 'duplicates' }
  | { view: 'clusters'; cluster?: number }
  | { view: 'people'; person?: number }
  | { view: 'search'; q?: string }
  | { view: 'things' }
  | { view: 'settings' };

export type ViewName = Route['view'];

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const name = (q === -1 ? raw : raw.slice(0, q)).split('/');
  const params = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
  switch (name[0]) {
    case 'similar': {
      const ids = (params.get('ids') ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
      return ids.length ? { view: 'similar', ids } : { view: 'library' };
    }
    case 'image-search':
      return { view: 'image-search' };
    case 'duplicates':
      return { view: 'duplicates' };
    case 'clusters': {
      const id = Number(name[1]);
      return name[1] !== undefined && Number.isInteger(id) ? { view: 'clusters', cluster: id } : { view: 'clusters' };
    }
    case 'people': {
      const id = Number(name[1]);
      return name[1] !== undefined && Number.isInteger(id) && id > 0 ? { view: 'people', person: id } : { view: 'people' };
    }
    case 'search':
      return { view: 'search', q: params.get('q') ?? undefined };
    case 'settings':
      return { view: 'settings' };
    case 'things':
      return { view: 'things' };
    default:
      return { view: 'library', folder: params.get('folder') ?? undefined };
  }
}

export function toHash(route: Route): string {
  switch (route.view) {
    case 'library':
      return route.folder ? `#/library?${new URLSearchParams({ folder: route.folder })}` : '#/library';
    case 'similar':
      return `#/similar?ids=${route.ids.join(',')}`;
    case 'image-search':
      return '#/image-search';
    case 'duplicates':
      return '#/duplicates';
    case 'clusters':
      return route.cluster === undefined ? '#/clusters' : `#/clusters/${route.cluster}`;
    case 'people':
      return route.person === undefined ? '#/people' : `#/people/${route.person}`;
    case 'search':
      return route.q ? `#/search?${new URLSearchParams({ q: route.q })}` : '#/search';
    case 'settings':
      return '#/settings';
    case 'things':
      return '#/things';
  }
}
