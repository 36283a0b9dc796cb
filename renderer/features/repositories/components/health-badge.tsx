import type { ReactElement } from 'react';

import type { RoleStatus, Severity } from '../../../../shared/inspection/report';
import { Icon, type IconName } from '../../../components/icons';

export type Tone = 'ok' | 'warn' | 'err' | 'info' | 'neutral';
type Health = 'healthy' | 'warning' | 'error';

const HEALTH: Record<Health, { tone: Tone; icon: IconName; label: string }> = {
  healthy: { tone: 'ok', icon: 'check', label: 'Healthy' },
  warning: { tone: 'warn', icon: 'alert', label: 'Warnings' },
  error: { tone: 'err', icon: 'error', label: 'Errors' },
};

/** Health is always text plus icon, never colour alone. */
export function HealthBadge({ health }: { health: Health }): ReactElement {
  const h = HEALTH[health];
  return (
    <span className={`badge tone-${h.tone}`} data-health={health}>
      <Icon name={h.icon} />
      {h.label}
    </span>
  );
}

export const ROLE_STATUS_TONE: Record<RoleStatus, Tone> = {
  valid: 'ok',
  invalid: 'err',
  expired: 'err',
  missing: 'err',
  malformed: 'err',
};

const STATUS_LABEL: Record<RoleStatus, string> = {
  valid: 'Valid',
  invalid: 'Invalid',
  expired: 'Expired',
  missing: 'Missing',
  malformed: 'Malformed',
};

export function RoleStatusBadge({ status, expiringSoon = false }: { status: RoleStatus; expiringSoon?: boolean }): ReactElement {
  if (status === 'valid' && expiringSoon) {
    return (
      <span className="badge tone-warn">
        <Icon name="alert" />
        Expiring soon
      </span>
    );
  }
  const tone = ROLE_STATUS_TONE[status];
  return (
    <span className={`badge tone-${tone}`}>
      <Icon name={tone === 'ok' ? 'check' : 'error'} />
      {STATUS_LABEL[status]}
    </span>
  );
}

export const SEVERITY: Record<Severity, { tone: Tone; icon: IconName; label: string; plural: string }> = {
  error: { tone: 'err', icon: 'error', label: 'Error', plural: 'Errors' },
  warning: { tone: 'warn', icon: 'alert', label: 'Warning', plural: 'Warnings' },
  info: { tone: 'info', icon: 'info', label: 'Info', plural: 'Information' },
};
