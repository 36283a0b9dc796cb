import type { ReactElement, ReactNode } from 'react';

import { Icon, type IconName } from './icons';

export function EmptyState({ icon, title, children }: { icon: IconName; title: string; children: ReactNode }): ReactElement {
  return (
    <div className="empty-state">
      <Icon name={icon} className="empty-icon" />
      <h2>{title}</h2>
      {children}
    </div>
  );
}
