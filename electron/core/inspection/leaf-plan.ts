import { FullLoadRequiredError } from '../../../shared/inspection/errors';
import type { InspectionLimits } from '../../../shared/inspection/context';
import type { RepositoryInput } from '../../../shared/inspection/input';
import { parseMetadata } from '../../../shared/tuf/metadata';
import { DEFAULT_MAX_ROOT_BYTES, type DelegatedRole, type Dialect, type Envelope, type Key, type Targets } from '../../../shared/tuf/model';

const TOP_LEVEL = new Set(['root', 'targets', 'snapshot', 'timestamp']);

/** What every worker needs to verify any deferred role: the delegating file's parsed delegations. */
export interface LeafPlan {
  dialect: Dialect;
  /** The delegating `targets` file as parsed here (the engine reuses it: RepositoryInput.preparsed). */
  envelope: Envelope<Targets>;
  roles: DelegatedRole[];
  keys: ReadonlyMap<string, Key>;
  /** The snapshot names SHA-512 somewhere: compute it for every file (compareMeta may need it). */
  wantSha512: boolean;
}

function refuse(why: string): never {
  throw new FullLoadRequiredError(`parallel verification does not apply: ${why}`);
}

/**
 * Parses the top-level targets file and checks the shape the parallel path is exact for: TUF,
 * `targets` lists no targets of its own and delegates only to disjoint hash bins (PEP 458), with
 * unique, valid names within the caps, and the deferred files are exactly those delegations.
 * Under these conditions no terminating sibling and no duplicate path can change a bin's rows, so
 * each bin is verified and scanned on its own. Anything else: FullLoadRequiredError.
 */
export function planLeafVerification(input: RepositoryInput, limits: InspectionLimits): LeafPlan {
  const deferred = input.deferred?.roles ?? [];
  const targetsBytes = input.files.get('targets');
  if (targetsBytes === undefined) refuse('no targets file');
  const dialect = input.dialect ?? detectDialect(input);
  if (dialect !== 'tuf-1.0') refuse('not a TUF repository');
  let envelope: Envelope<Targets>;
  try {
    envelope = parseMetadata(targetsBytes, { expectedType: 'targets', dialect });
  } catch {
    // The sequential engine reports the malformed file.
    refuse('targets does not parse');
  }
  const signed = envelope.signed;
  const d = signed.delegations;
  if (d === null) refuse('targets delegates nothing');
  if (signed.targets.size > 0) refuse('targets lists targets of its own');
  if (d.roles.length > limits.maxRoles || d.keys.size > limits.maxKeysPerFile) refuse('caps exceeded');
  if (d.roles.length !== deferred.length) refuse('deferred files differ from the delegations');
  const owners: Array<{ prefix: string; role: number }> = [];
  const names = new Set<string>();
  d.roles.forEach((role, i) => {
    if (role.name === '' || TOP_LEVEL.has(role.name) || names.has(role.name)) refuse(`delegation name ${JSON.stringify(role.name)}`);
    names.add(role.name);
    if (deferred[i]?.name !== role.name) refuse('deferred files are not in delegation order');
    if (role.paths !== null || role.pathHashPrefixes === null || role.pathHashPrefixes.length === 0) refuse('not hash-bin delegations');
    for (const p of role.pathHashPrefixes) owners.push({ prefix: p.toLowerCase(), role: i });
  });
  if (!disjoint(owners)) refuse('hash prefixes overlap');
  const snapshot = input.files.get('snapshot');
  const wantSha512 = snapshot === undefined || Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength).includes('sha512');
  return { dialect, envelope, roles: d.roles, keys: d.keys, wantSha512 };
}

/** No prefix of one role is a prefix of (or equal to) another role's prefix. */
function disjoint(owners: Array<{ prefix: string; role: number }>): boolean {
  owners.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  const open: Array<{ prefix: string; role: number }> = [];
  for (const cur of owners) {
    while (open.length > 0 && !cur.prefix.startsWith(open[open.length - 1]!.prefix)) open.pop();
    if (open.some((o) => o.role !== cur.role)) return false;
    open.push(cur);
  }
  return true;
}

function detectDialect(input: RepositoryInput): Dialect {
  const bytes = input.files.get('root');
  if (bytes === undefined) refuse('no root.json');
  try {
    return parseMetadata(bytes, { expectedType: 'root', maxBytes: DEFAULT_MAX_ROOT_BYTES }).dialect;
  } catch {
    refuse('root does not parse');
  }
}
