import { type ReactElement, useState } from 'react';
import type { z } from 'zod';

import type { CeremonyDetail, PendingSigner } from '../../../../shared/ipc/ceremony';
import { useKeysStore } from '../../../stores/keys-store';
import { SignDialog } from './sign-dialog';

type Pending = z.infer<typeof PendingSigner>;

/** Who still has to sign here, one card per token, each with its own PIN dialog. */
export function SignPanel({ detail }: { detail: CeremonyDetail }): ReactElement {
  const tokens = useKeysStore((s) => s.snapshot?.tokens ?? []);
  const [open, setOpen] = useState<Pending | null>(null);
  const pending = detail.pendingSigners;
  return (
    <section className="card" aria-labelledby="sign-title">
      <h2 id="sign-title" className="card-title">
        Sign with each token
      </h2>
      {pending.length === 0 ? (
        <p className="muted">{detail.summary.complete ? 'Every threshold is met. Finalize below.' : 'No key at this workstation can add a needed signature. Export a partial bundle for the other signers.'}</p>
      ) : (
        <ul className="signer-list">
          {pending.map((p) => {
            const present = p.where === 'token' && tokens.some((t) => t.serial === p.tokenSerial);
            return (
              <li key={p.tokenSerial ?? p.keyFileId ?? p.keyids.join()} className="signer" data-signer-token={p.tokenSerial ?? ''}>
                <div>
                  <strong>{p.where === 'token' ? `Token ${p.tokenSerial}` : 'Key file'}</strong> — {p.holder ?? 'no holder recorded'}
                  <div className="cell-sub">
                    Signs {p.tasks.join(', ')} · {present ? 'attached' : p.where === 'token' ? 'not attached' : 'key file (use the CLI)'}
                  </div>
                </div>
                {p.where === 'token' ? (
                  <button type="button" className="button primary" onClick={() => setOpen(p)} aria-label={`Sign with token ${p.tokenSerial}`}>
                    Sign…
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {open === null ? null : <SignDialog ceremonyId={detail.summary.id} signer={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
