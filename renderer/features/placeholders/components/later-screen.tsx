import type { ReactElement } from 'react';

import { EmptyState } from '../../../components/empty-state';
import type { IconName } from '../../../components/icons';
import type { Screen } from '../../../stores/app-store';

interface LaterCopy {
  title: string;
  icon: IconName;
  summary: string;
  will: string[];
}

/** What each not-yet-shipped screen will do. Honest copy only: no sample data. */
const COPY: Record<Exclude<Screen, 'repositories'>, LaterCopy> = {
  keys: {
    title: 'Keys & Tokens',
    icon: 'key',
    summary: 'Custody of signing keys and the hardware tokens that hold them.',
    will: [
      'List connected YubiKey PIV and PKCS#11 tokens with their serials, slots and PIN tries left.',
      'Enroll keys generated on the device and check their attestation certificates.',
      'Import and export Notary / Docker key files, and keep an inventory of who holds which key.',
    ],
  },
  ceremonies: {
    title: 'Ceremonies',
    icon: 'ceremony',
    summary: 'Guided root-key ceremonies, key rotations and compromise recovery.',
    will: [
      'Plan a ceremony, review the proposed metadata as a diff against the trusted state, and check every rule.',
      'Collect signatures per role and threshold (old and new root), verifying each one immediately.',
      'Keep a hash-chained journal so a ceremony survives a crash and resumes where it stopped.',
    ],
  },
  bundles: {
    title: 'Bundles',
    icon: 'bundle',
    summary: 'What crosses the air gap: request bundles in, signed bundles out.',
    will: [
      'Import a request bundle from removable media and verify its hash manifest.',
      'Export signed and partial-signature bundles for publishing from an online machine.',
    ],
  },
  audit: {
    title: 'Audit',
    icon: 'audit',
    summary: 'The record of everything this workstation did.',
    will: [
      'Browse ceremony transcripts and journal entries, and verify their hash chain.',
      'Export a transcript for the officers and auditors who were not present.',
    ],
  },
};

export function LaterScreen({ screen }: { screen: Exclude<Screen, 'repositories'> }): ReactElement {
  const copy = COPY[screen];
  return (
    <section aria-labelledby="page-title">
      <div className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            {copy.title}
          </h1>
          <p>{copy.summary}</p>
        </div>
      </div>
      <EmptyState icon={copy.icon} title="Arrives with a later release">
        <p>This release inspects repository trust state only. When this screen ships, it will:</p>
        <ul>
          {copy.will.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </EmptyState>
    </section>
  );
}
