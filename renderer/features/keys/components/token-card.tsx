import type { ReactElement } from 'react';

import type { TokenKeyView } from '../../../../shared/ipc/custody';
import type { IpcError } from '../../../../shared/ipc/result';
import type { TokenInfo } from '../../../../shared/token/types';
import { ErrorAlert } from '../../../components/alert';
import { Icon } from '../../../components/icons';
import { ScrollRegion } from '../../../components/scroll-region';
import { AttestationBadge, PIN_ADVICE, PinStateBadge } from './badges';
import { ShortKeyId } from './key-ids';

interface TokenCardProps {
  token: TokenInfo;
  keys: { rows: TokenKeyView[] | null; error: IpcError | null } | undefined;
  onEnroll: (serial: string) => void;
}

/** One connected token: identity, PIN state (with what to do about it) and its keys. */
export function TokenCard({ token, keys, onEnroll }: TokenCardProps): ReactElement {
  const name = token.label || 'Unlabelled token';
  const headingId = `token-${token.serial}`;
  return (
    <section className="card token-card" aria-labelledby={headingId} data-token-serial={token.serial}>
      <div className="card-header">
        <h3 id={headingId}>
          {name} <span className="muted">· serial {token.serial}</span>
        </h3>
        <PinStateBadge state={token.pinState} />
        <button type="button" className="button small" onClick={() => onEnroll(token.serial)} disabled={token.pinState === 'locked'}>
          <Icon name="plus" />
          Enroll key
        </button>
      </div>
      <dl className="token-facts">
        <dt>Model</dt>
        <dd>{token.model}</dd>
        <dt>Manufacturer</dt>
        <dd>{token.manufacturer}</dd>
        <dt>Firmware</dt>
        <dd>{token.firmware}</dd>
        <dt>PIN</dt>
        <dd data-testid="pin-advice">{PIN_ADVICE[token.pinState]}</dd>
      </dl>
      {keys?.error ? <ErrorAlert title="The keys of this token could not be read" error={keys.error} /> : null}
      {keys?.rows === null || keys === undefined ? (
        keys?.error ? null : <p className="muted">Reading keys…</p>
      ) : keys.rows.length === 0 ? (
        <p className="muted">No keys on this token yet. Enroll one to use it for signing.</p>
      ) : (
        <ScrollRegion label={`Keys on ${name}`}>
          <table className="table" aria-label={`Keys on ${name}`}>
            <thead>
              <tr>
                <th scope="col">Slot</th>
                <th scope="col">Label</th>
                <th scope="col">Algorithm</th>
                <th scope="col">Notary key ID</th>
                <th scope="col">TUF key ID</th>
                <th scope="col">Role</th>
                <th scope="col">Attestation</th>
              </tr>
            </thead>
            <tbody>
              {keys.rows.map((key) => (
                <tr key={`${key.ckaId}-${key.spkiSha256}`} data-key-id={key.keyIds.notary}>
                  <td className="nowrap">
                    {key.slot ?? '—'}
                    <span className="cell-sub mono">CKA_ID {key.ckaId}</span>
                  </td>
                  <td>{key.label || '—'}</td>
                  <td className="nowrap">ECDSA {key.curve}</td>
                  <td>
                    <ShortKeyId id={key.keyIds.notary} dialect="Notary" />
                  </td>
                  <td>
                    <ShortKeyId id={key.keyIds.tuf} dialect="TUF" />
                  </td>
                  <td>
                    {key.roles.length > 0 ? key.roles.join(', ') : <span className="muted">not in inventory</span>}
                    {key.holder ? <span className="cell-sub">held by {key.holder}</span> : null}
                  </td>
                  <td>
                    <AttestationBadge attestation={key.attestation} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
