/** `keyrite keys generate`: a new software key, encrypted at rest in the workspace key store. */
import { generateSoftwareKey, type KeyAlgorithm } from '../core/keys';
import { CliUsageError, EXIT } from './cli-io';
import { fileRecord, keysContext } from './keys-context';
import { resolvePassphrase, type KeysIo } from './keys-passphrase';

export interface KeysGenerateFlags {
  algorithm: string;
  role: string;
  gun?: string;
  label?: string;
  holder?: string;
  passphraseFile?: string;
  json?: boolean;
  workspace?: string;
}

const ALGORITHMS: Record<string, { algorithm: KeyAlgorithm; rsaBits?: number }> = {
  ed25519: { algorithm: 'ed25519' },
  'ecdsa-p256': { algorithm: 'ecdsa-p256' },
  'rsa-3072': { algorithm: 'rsa', rsaBits: 3072 },
  'rsa-4096': { algorithm: 'rsa', rsaBits: 4096 },
};
export const GENERATE_ALGORITHMS = Object.keys(ALGORITHMS);

/** Roles whose keys belong to one repository (a GUN). */
const GUN_ROLES = new Set(['targets', 'snapshot', 'timestamp']);

export async function runKeysGenerate(flags: KeysGenerateFlags, io: KeysIo): Promise<number> {
  const choice = ALGORITHMS[flags.algorithm];
  if (!choice) throw new CliUsageError(`--algorithm must be one of ${GENERATE_ALGORITHMS.join(', ')}, got "${flags.algorithm}"`);
  checkRole(flags.role, flags.gun);
  const passphrase = await resolvePassphrase(
    { purpose: `a new passphrase for the ${flags.role} key`, file: flags.passphraseFile, envNames: ['KEYRITE_PASSPHRASE'], role: flags.role, confirm: true },
    io,
  );
  const ctx = keysContext(flags.workspace, io);
  const pair = await generateSoftwareKey(choice.algorithm, choice.rsaBits === undefined ? {} : { rsaBits: choice.rsaBits });
  const stored = await ctx.store.add(pair.privateKey, passphrase.value, { role: flags.role, gun: flags.gun ?? null, label: flags.label ?? null });
  const entry = await ctx.inventory.upsert(fileRecord(stored, { roles: [flags.role], holder: flags.holder ?? null, origin: 'generated' }));
  if (flags.json) io.stdout(`${JSON.stringify({ key: entry, file: stored.filePath }, null, 2)}\n`);
  else io.stdout(`Generated ${flags.algorithm} ${flags.role} key ${entry.id}\n  TUF key ID: ${entry.keyIds.tuf}\n  file:       ${stored.filePath} (encrypted, passphrase from ${passphrase.source})\n`);
  return EXIT.ok;
}

function checkRole(role: string, gun: string | undefined): void {
  if (!/^[a-z0-9][a-z0-9/_.-]*$/i.test(role)) throw new CliUsageError(`--role must be root, targets, snapshot, timestamp or a delegation such as targets/releases, got "${role}"`);
  if (GUN_ROLES.has(role) && !gun) throw new CliUsageError(`a ${role} key serves one repository: give --gun GUN`);
}
