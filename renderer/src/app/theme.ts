/**
 * Light and dark themes. "system" follows prefers-color-scheme; a choice is remembered in
 * localStorage and applied as data-theme on <html>, which the stylesheet keys on.
 */
import { useCallback, useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'likeness.theme';

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

function systemDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

export function useTheme(): { choice: ThemeChoice; effective: 'light' | 'dark'; setChoice: (c: ThemeChoice) => void; toggle: () => void } {
  const [choice, setChoiceState] = useState<ThemeChoice>(stored);
  const [dark, setDark] = useState(systemDark);

  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!mq) return;
    const onChange = () => setDark(mq.matches);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);

  const effective = choice === 'system' ? (dark ? 'dark' : 'light') : choice;

  useEffect(() => {
    document.documentElement.dataset.theme = effective;
  }, [effective]);

  const setChoice = useCallback((c: ThemeChoice) => {
    setChoiceState(c);
    try {
      if (c === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, c);
    } catch {
      /* private mode: the choice lasts for this session */
    }
  }, []);

  const toggle = useCallback(() => setChoice(effective === 'dark' ? 'light' : 'dark'), [effective, setChoice]);
  return { choice, effective, setChoice, toggle };
}
