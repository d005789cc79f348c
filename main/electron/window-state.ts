/** Remembers the main window's size and position between launches (userData/window-state.json). */
import { app, screen, type BrowserWindow, type Rectangle } from 'electron';
import fs from 'node:fs';
import path from 'node:path';

interface State {
  bounds: Rectangle;
  maximized: boolean;
}

const file = () => path.join(app.getPath('userData'), 'window-state.json');

export function loadWindowState(): State | null {
  try {
    const state = JSON.parse(fs.readFileSync(file(), 'utf8')) as State;
    const visible = screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      const b = state.bounds;
      return b.x < a.x + a.width && b.x + b.width > a.x && b.y < a.y + a.height && b.y + b.height > a.y;
    });
    return visible && state.bounds.width >= 400 && state.bounds.height >= 300 ? state : null;
  } catch {
    return null;
  }
}

export function trackWindowState(window: BrowserWindow): void {
  const save = () => {
    if (window.isDestroyed()) return;
    const state: State = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    try {
      fs.mkdirSync(path.dirname(file()), { recursive: true });
      fs.writeFileSync(file(), JSON.stringify(state));
    } catch {
      /* not worth failing over */
    }
  };
  window.on('close', save);
}
