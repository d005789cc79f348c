/** "?" opens the list of keyboard shortcuts. */
import { Dialog } from '../components/Dialog';
import { Kbd } from '../components/States';

const GROUPS: [string, [string[], string][]][] = [
  [
    'Everywhere',
    [
      [['Alt', '1–5'], 'Library, Duplicates, Clusters, Search, People'],
      [['/'], 'Search'],
      [['?'], 'This list'],
    ],
  ],
  [
    'Photo grids',
    [
      [['←', '↑', '→', '↓'], 'Move'],
      [['Enter'], 'Open'],
      [['Space'], 'Select'],
      [['Shift', '↑↓←→'], 'Extend the selection'],
      [['Ctrl', 'A'], 'Select all'],
      [['Esc'], 'Clear the selection'],
      [['Menu'], 'Actions for the photo (Find similar, …)'],
    ],
  ],
  [
    'Photo',
    [
      [['←', '→'], 'Previous, next'],
      [['S'], 'Find similar'],
      [['Esc'], 'Close'],
    ],
  ],
  [
    'Duplicates',
    [
      [['↑', '↓'], 'Previous, next group'],
      [['←', '→'], 'Choose the keeper'],
      [['Enter'], 'Keep it, move the others to the trash'],
      [['N'], 'Not duplicates'],
      [['U'], 'Undo'],
    ],
  ],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <div className="shortcuts">
        {GROUPS.map(([title, rows]) => (
          <section key={title}>
            <h3 className="panel-heading">{title}</h3>
            <dl>
              {rows.map(([keys, what]) => (
                <div key={what} className="shortcut-row">
                  <dt>
                    {keys.map((k) => (
                      <Kbd key={k}>{k}</Kbd>
                    ))}
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
