/** The current route, following the URL hash (back and forward), and a way to go elsewhere. */
import { useCallback, useEffect, useState } from 'react';
import { parseHash, toHash, type Route } from './route';

export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((next: Route) => {
    const hash = toHash(next);
    if (window.location.hash !== hash) window.location.hash = hash;
    else setRoute(parseHash(hash));
  }, []);
  return [route, navigate];
}
