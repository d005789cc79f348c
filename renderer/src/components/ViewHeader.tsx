/** The bar at the top of each view: title, subtitle, and the view's own controls on the right. */
import type { ReactNode } from 'react';

export function ViewHeader({ title, subtitle, children, leading }: { title: ReactNode; subtitle?: ReactNode; children?: ReactNode; leading?: ReactNode }) {
  return (
    <header className="view-header">
      {leading}
      <div className="view-title">
        <h1>{title}</h1>
        {subtitle && <p className="view-subtitle">{subtitle}</p>}
      </div>
      <div className="view-actions">{children}</div>
    </header>
  );
}
