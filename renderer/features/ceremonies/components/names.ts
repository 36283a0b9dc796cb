/** How keys are named on screen: people read token serials and holders, not key IDs. */
export interface NamedKey {
  keyid: string;
  holder: string | null;
  tokenSerial: string | null;
}

export function keyName(key: NamedKey): string {
  const who = [key.tokenSerial === null ? null : `token ${key.tokenSerial}`, key.holder].filter((x) => x !== null).join(', ');
  return who === '' ? `key ${key.keyid.slice(0, 12)}…` : `${who} (key ${key.keyid.slice(0, 8)}…)`;
}

export const PHASE_LABEL: Record<string, string> = {
  planned: 'Planned',
  proposed: 'Awaiting review',
  signing: 'Collecting signatures',
  finalized: 'Finalized',
  exported: 'Exported',
  aborted: 'Aborted',
};

export const PHASE_TONE: Record<string, string> = {
  planned: 'tone-neutral',
  proposed: 'tone-warn',
  signing: 'tone-info',
  finalized: 'tone-ok',
  exported: 'tone-ok',
  aborted: 'tone-err',
};
