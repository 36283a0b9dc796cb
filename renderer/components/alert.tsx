import type { ReactElement, ReactNode } from 'react';

import type { IpcError } from '../../shared/ipc/result';
import { Icon } from './icons';

type Tone = 'err' | 'warn' | 'info' | 'ok';
const ICON = { err: 'error', warn: 'alert', info: 'info', ok: 'check' } as const;

export function Alert({ tone, title, children }: { tone: Tone; title: string; children?: ReactNode }): ReactElement {
  return (
    <div className={`alert tone-${tone}`} role={tone === 'err' ? 'alert' : 'status'}>
      <Icon name={ICON[tone]} />
      <div>
        <strong>{title}</strong>
        {children === undefined ? null : <p>{children}</p>}
      </div>
    </div>
  );
}

/** A Result error shown as precisely as main reported it: message, error class and code. */
export function ErrorAlert({ title, error }: { title: string; error: IpcError }): ReactElement {
  return (
    <Alert tone="err" title={title}>
      {error.message}{' '}
      <span className="muted">
        ({error.name === undefined ? '' : `${error.name}, `}
        {error.code})
      </span>
    </Alert>
  );
}
