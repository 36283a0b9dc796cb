import { type ReactElement, useState } from 'react';
import type { z } from 'zod';

import type { CeremonyDetail, PendingSigner } from '../../../../shared/ipc/ceremony';
import { useKeysStore } from '../../../stores/keys-store';
import { FileSignDialog } from './file-sign-dialog';
import { MergePartial } from './merge-partial';
import { SignDialog } from './sign-dialog';

type Pending = z.infer<typeof PendingSigner>;

/** Who still has to sign here: one card per token (PIN dialog) or key file (passphrase dialog); merging a partial bundle. */
export function SignPanel({ detail }: { detail: CeremonyDetail }): ReactElement {
  const tokens = useKeysStore((s) => s.snapshot?.tokens ?? []);
  const [open, setOpen] = useState<Pending | null>(null);
  const pending = detail.pendingSigners;
  return (
    <section className="card" aria-labelledby="sign-title">
      <h2 id="sign-title" className="card-title">
        Sign with each token or key file
      </h2>
      {pending.length === 0 ? (
        <p className="muted">{detail.summary.complete ? 'Every threshold is met. Finalize below.' : 'No key at this workstation can add a needed signature. Export a partial bundle for the other signers, or merge theirs.'}</p>
      ) : (
        <ul className="signer-list">
          {pending.map((p) => {
            const present = p.where === 'token' && tokens.some((t) => t.serial === p.tokenSerial);
            const name = p.where === 'token' ? `token ${p.tokenSerial ?? ''}` : `key file ${(p.keyFileId ?? '').slice(0, 12)}`;
            return (
              <li key={p.tokenSerial ?? p.keyFileId ?? p.keyids.join()} className="signer" data-signer-token={p.tokenSerial ?? ''} data-signer-file={p.keyFileId ?? ''}>
                <div>
                  <strong>{p.where === 'token' ? `Token ${p.tokenSerial}` : `Key file ${(p.keyFileId ?? '').slice(0, 12)}…`}</strong> — {p.holder ?? 'no holder recorded'}
                  <div className="cell-sub">
                    Signs {p.tasks.join(', ')} · {p.where === 'file' ? 'workspace key file (passphrase)' : present ? 'attached' : 'not attached'}
                  </div>
                </div>
                <button type="button" className="button primary" onClick={() => setOpen(p)} aria-label={`Sign with ${name}`}>
                  Sign…
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <MergePartial detail={detail} />
      {open === null ? null : open.where === 'file' ? (
        <FileSignDialog ceremonyId={detail.summary.id} signer={open} onClose={() => setOpen(null)} />
      ) : (
        <SignDialog ceremonyId={detail.summary.id} signer={open} onClose={() => setOpen(null)} />
      )}
    </section>
  );
}
