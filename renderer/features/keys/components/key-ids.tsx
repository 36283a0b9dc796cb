import type { ReactElement } from 'react';

/** A key's IDs in both dialects, full length (they are compared against root.json by eye). */
export function KeyIds({ ids }: { ids: { notary: string; tuf: string } }): ReactElement {
  return (
    <dl className="key-ids">
      <dt>Notary key ID</dt>
      <dd className="mono">{ids.notary}</dd>
      <dt>TUF key ID</dt>
      <dd className="mono">{ids.tuf}</dd>
    </dl>
  );
}

/** Short form for tables; the full ID is in the title and for screen readers. */
export function ShortKeyId({ id, dialect }: { id: string; dialect: string }): ReactElement {
  return (
    <span className="mono key-id-short" title={`${dialect} key ID ${id}`}>
      {id.slice(0, 12)}
      <span className="visually-hidden">{id.slice(12)}</span>
    </span>
  );
}
