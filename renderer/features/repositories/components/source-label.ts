import type { SourceKind } from '../../../../shared/inspection/report';

export const SOURCE_LABEL: Record<SourceKind, string> = {
  'metadata-dir': 'Metadata folder',
  'trust-dir': 'Docker/Notary trust dir',
  'notary-server': 'Notary server',
  'tuf-dir': 'TUF folder',
  'tuf-url': 'TUF URL',
  bundle: 'Bundle',
};

export const DIALECT_LABEL = { 'notary-v1': 'Notary v1', 'tuf-1.0': 'TUF 1.0' } as const;
