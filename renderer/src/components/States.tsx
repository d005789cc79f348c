/** Empty, loading and error states, shared by every view so they look and read the same. */
import type { ReactNode } from 'react';
import type { ApiFailure } from '../api';
import { Icon, type IconName } from './Icon';

export function EmptyState({ icon, title, children, action, testId }: { icon: IconName; title: string; children?: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div className="state" data-testid={testId ?? 'empty-state'}>
      <div className="state-icon">
        <Icon name={icon} size={30} />
      </div>
      <h2>{title}</h2>
      {children && <p>{children}</p>}
      {action && <div className="state-actions">{action}</div>}
    </div>
  );
}

export function ErrorState({ error, onRetry, title }: { error: ApiFailure; onRetry?: () => void; title?: string }) {
  return (
    <div className="state state-error" role="alert" data-testid="error-state">
      <div className="state-icon">
        <Icon name="alert" size={30} />
      </div>
      <h2>{title ?? 'Something went wrong'}</h2>
      <p>{error.message}</p>
      {onRetry && (
        <div className="state-actions">
          <button type="button" className="btn" onClick={onRetry}>
            <Icon name="refresh" /> Try again
          </button>
        </div>
      )}
    </div>
  );
}

/** Grey shimmering tiles while a grid loads. */
export function SkeletonGrid({ count = 24 }: { count?: number }) {
  return (
    <div className="skeleton-grid" aria-busy="true" aria-label="Loading">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="skeleton" />
      ))}
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <div className="spinner-row" role="status">
      <span className="spinner" />
      {label && <span>{label}</span>}
    </div>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}
