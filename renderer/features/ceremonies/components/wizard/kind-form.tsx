import type { ReactElement } from 'react';

import type { RequestPreview } from '../../../../../shared/ipc/ceremony';
import { AddSignerForm } from '../forms/add-signer-form';
import { InitForm } from '../forms/init-form';
import { RecoverForm } from '../forms/recover-form';
import { RefreshForm } from '../forms/refresh-form';
import { RemoveSignerForm } from '../forms/remove-signer-form';
import { RotateKeyForm } from '../forms/rotate-key-form';
import { RotateRootForm } from '../forms/rotate-root-form';
import { SignTargetsForm } from '../forms/sign-targets-form';
import type { Kind } from './kinds';
import type { Drafts } from './plan-drafts';
import type { useKeyOptions } from './use-key-options';

/** The chosen kind's form over its draft. */
export function KindForm({ kind, request, drafts, onChange, keys }: { kind: Kind; request: RequestPreview; drafts: Drafts; onChange: (drafts: Drafts) => void; keys: ReturnType<typeof useKeyOptions> }): ReactElement {
  const common = { request, keys };
  switch (kind) {
    case 'init':
      return <InitForm {...common} draft={drafts.init} onChange={(d) => onChange({ ...drafts, init: d })} />;
    case 'rotate-root':
      return <RotateRootForm {...common} draft={drafts['rotate-root']} onChange={(d) => onChange({ ...drafts, 'rotate-root': d })} />;
    case 'rotate-key':
      return <RotateKeyForm {...common} draft={drafts['rotate-key']} onChange={(d) => onChange({ ...drafts, 'rotate-key': d })} />;
    case 'add-signer':
      return <AddSignerForm {...common} draft={drafts['add-signer']} onChange={(d) => onChange({ ...drafts, 'add-signer': d })} />;
    case 'remove-signer':
      return <RemoveSignerForm {...common} draft={drafts['remove-signer']} onChange={(d) => onChange({ ...drafts, 'remove-signer': d })} />;
    case 'recover':
      return <RecoverForm {...common} draft={drafts.recover} onChange={(d) => onChange({ ...drafts, recover: d })} />;
    case 'refresh':
      return <RefreshForm {...common} draft={drafts.refresh} onChange={(d) => onChange({ ...drafts, refresh: d })} />;
    case 'sign-targets':
      return <SignTargetsForm {...common} draft={drafts['sign-targets']} onChange={(d) => onChange({ ...drafts, 'sign-targets': d })} />;
  }
}
