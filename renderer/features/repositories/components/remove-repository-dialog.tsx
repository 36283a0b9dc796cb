import type { ReactElement } from 'react';

import { Dialog } from '../../../components/dialog';
import { Icon } from '../../../components/icons';

/**
 * Asks before removing: removal drops the trusted state (rollback protection for this repository),
 * so a stray click must not do it. Cancel is focused first, so Enter alone never removes.
 */
export function RemoveRepositoryDialog({ name, onCancel, onConfirm }: { name: string; onCancel: () => void; onConfirm: () => void }): ReactElement {
  return (
    <Dialog
      title="Remove repository?"
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="button" onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button type="button" className="button danger" onClick={onConfirm}>
            <Icon name="trash" />
            Remove repository
          </button>
        </>
      }
    >
      <div className="stack">
        <p>
          Remove <strong className="mono">{name}</strong> from Keyrite?
        </p>
        <p className="muted">
          Only Keyrite’s workspace record and the trusted state it keeps for this repository are removed. The source metadata (folder, trust dir or
          server) and every key are left untouched; you can add the repository again later, but its rollback protection starts afresh.
        </p>
      </div>
    </Dialog>
  );
}
