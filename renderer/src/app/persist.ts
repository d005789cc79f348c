/** useState that survives reloads (localStorage), for view preferences such as sort and zoom. */
import { useCallback, useState } from 'react';

export function usePersistentState<T>(key: string, initial: T): [T, (v: T) => void] {
  const full = `likeness.${key}`;
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = localStorage.getItem(full);
      return raw === null ? initial : (JSON.parse(raw) as T);
    } catch {
      return initial;
    }
  });
  const set = useCallback(
    (v: T) => {
      setValue(v);
      try {
        localStorage.setItem(full, JSON.stringify(v));
      } catch {
        /* storage unavailable: keep it for this session */
      }
    },
    [full],
  );
  return [value, set];
}
