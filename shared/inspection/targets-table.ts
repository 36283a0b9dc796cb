import type { TargetFile, Targets } from '../tuf/model';
import { ScannedTargetMap } from '../tuf/targets-scan-model';
import { sha256TextHex } from '../tuf/sha256-text';
import type { InspectContext } from './context';
import { chainOf, type DelegationEdge, type VisitedRole } from './delegation-graph';
import { reachReasonOnChain, terminatingIndex } from './delegations';
import { unsafeTargetPathReason } from './path-match';
import type { LoadedRole } from './roles';
import type { TargetView } from './report';

/** Name `docker trust inspect` shows for the released roles (`targets`, `targets/releases`). */
export const REPO_ADMIN = 'Repo Admin';
const RELEASES = 'targets/releases';

/**
 * The trusted targets. A target counts only when its role is trusted (signatures valid down the
 * delegation chain) and the role is where a client would find it: every delegation on the way
 * admits the path and no earlier terminating delegation stops the search (TUF). Roles are taken
 * in preorder; for TUF the first role listing a path wins, like the client's search.
 *
 * Signers, Notary (docker/cli `matchReleasedSignatures` + `notaryRoleToSigner`): a tag is
 * "released" when `targets` or `targets/releases` lists it; its signers are the other roles
 * listing the same name with the same sha256, named without the `targets/` prefix; a released
 * tag nobody else signed shows `Repo Admin`. We also keep tags only a delegation lists (docker
 * hides them; notary `list` shows them), with that delegation's leaf names as signers.
 * Signers, TUF: the name of the role that lists the target.
 */
export function buildTargets(
  ctx: InspectContext,
  targets: LoadedRole,
  delegated: readonly LoadedRole[],
  visits: readonly VisitedRole[],
  maxRows = Number.POSITIVE_INFINITY,
): TargetTable {
  const byName = new Map<string, LoadedRole>([['targets', targets]]);
  for (const r of delegated) byName.set(r.name, r);
  const terminatingBefore = terminatingIndex(ctx, visits);
  // One lazy hasher for the target being examined (no closure or cache entry per target: a PEP 458
  // repository has millions of them, each hashed once).
  let currentPath = '';
  let currentHash: string | null = null;
  const pathHash = (): string => {
    currentHash ??= sha256TextHex(currentPath);
    return currentHash;
  };

  // Columns rather than one {role, file} object per target.
  const listed = new Listing();
  const outside = new Map<string, number>();
  const shadowed = new Map<string, { count: number; by: string }>();
  // First edge (below `targets`) of each role that lists targets: see `disjointHashBins`.
  const firstEdges = new Map<string, DelegationEdge | null>();
  // Rows of pre-verified roles (facts.scan.rows) beyond what the report keeps are only counted.
  let omitted = 0;
  for (const visit of visits) {
    const role = byName.get(visit.name);
    if (role?.facts?.scan != null && role.trusted) {
      const scan = role.facts.scan;
      const chain = chainOf(visit);
      if (role.targetCount > 0) firstEdges.set(role.name, chain[0] ?? null);
      for (const event of scan.events) {
        if (event.kind === 'unsafe') {
          ctx.findings.warning('TARGET_PATH_UNSAFE', `${role.name} lists target ${JSON.stringify(event.path)} (${event.reason}); it must never be used as a file path.`, {
            role: role.name,
          });
          continue;
        }
        const edge = chain[0] as DelegationEdge;
        ctx.findings.warning('DELEGATION_PATH_OUTSIDE_PARENT', `${role.name} lists ${JSON.stringify(event.path)}, outside the paths ${edge.parent} delegated to ${edge.name}; the target is not trusted.`, {
          role: role.name,
        });
      }
      if (scan.outside > 0) outside.set(role.name, scan.outside);
      const rows = scan.rows;
      if (rows === null || omitted > 0) {
        if (rows === null && listed.size < maxRows && scan.admitted > 0) throw new Error(`pre-verified rows of ${role.name} are needed but were not collected`);
        omitted += scan.admitted;
        continue;
      }
      // The facts' columns are used as they are (no copy of 262,144 rows at PEP 458 scale).
      listed.addColumns(role.name, rows);
      continue;
    }
    const signed = role?.envelope?.signed as Targets | undefined;
    if (role === undefined || signed === undefined || !role.trusted) continue;
    const chain = chainOf(visit);
    if (signed.targets.size > 0) firstEdges.set(role.name, chain[0] ?? null);
    // One target: checks, then listed (or counted as outside / shadowed).
    const consider = (path: string, length: number, hashesHex: Readonly<Record<string, string>>, custom: TargetFile['custom']): void => {
      const unsafe = unsafeTargetPathReason(path);
      if (unsafe !== null) {
        ctx.findings.warning('TARGET_PATH_UNSAFE', `${role.name} lists target ${JSON.stringify(path)} (${unsafe}); it must never be used as a file path.`, {
          role: role.name,
        });
      }
      currentPath = path;
      currentHash = null;
      const reason = chain.length === 0 ? null : reachReasonOnChain(ctx, chain, path, pathHash, terminatingBefore);
      if (reason?.code === 'outside') {
        outside.set(role.name, (outside.get(role.name) ?? 0) + 1);
        if ((outside.get(role.name) ?? 0) <= 3) {
          ctx.findings.warning(
            'DELEGATION_PATH_OUTSIDE_PARENT',
            `${role.name} lists ${JSON.stringify(path)}, outside the paths ${reason.edge.parent} delegated to ${reason.edge.name}; the target is not trusted.`,
            { role: role.name },
          );
        }
        return;
      }
      if (reason?.code === 'shadowed') {
        const s = shadowed.get(role.name) ?? { count: 0, by: reason.edge.name };
        s.count++;
        shadowed.set(role.name, s);
        return;
      }
      listed.push(role.name, path, length, hashesHex, custom);
    };
    if (signed.targets instanceof ScannedTargetMap) {
      // Scanner columns: no TargetFile object per target (no custom in a scanned file).
      const { paths, lengths, hashes } = signed.targets.columns;
      for (let i = 0; i < paths.length; i++) consider(paths[i] as string, lengths[i] as number, hashes[i] as Record<string, string>, undefined);
    } else {
      for (const file of signed.targets.values()) consider(file.path, file.length, file.hashesHex, file.custom);
    }
  }
  for (const [role, count] of outside) {
    if (count > 3) {
      ctx.findings.warning('DELEGATION_PATH_OUTSIDE_PARENT', `${role} lists ${count} targets outside its delegated paths in total; none of them is trusted.`, { role });
    }
  }
  for (const [role, s] of shadowed) {
    ctx.findings.warning('SHADOWED_PATHS', `${s.count} target(s) of ${role} are never reached: the earlier terminating delegation ${s.by} stops the search.`, { role });
  }
  const all = ctx.dialect !== 'notary-v1' ? tufRows(listed, disjointHashBins(firstEdges)) : notaryRows(listed);
  const total = all.length + omitted;
  return { rows: all.length > maxRows ? all.slice(0, maxRows) : all, total };
}

export interface TargetTable {
  /** The report's rows: the first `maxRows` trusted targets. */
  rows: TargetView[];
  /** Trusted targets in total. */
  total: number;
}

/** One role's listed targets as columns. */
interface Segment {
  role: string;
  paths: readonly string[];
  lengths: readonly number[];
  hashes: ReadonlyArray<Readonly<Record<string, string>>>;
  custom: ReadonlyArray<unknown>;
}

/** Listed targets in preorder (the row order of the report), as per-role column segments. */
class Listing {
  readonly segments: Segment[] = [];
  size = 0;
  private open: { role: string; paths: string[]; lengths: number[]; hashes: Array<Readonly<Record<string, string>>>; custom: unknown[] } | null = null;

  push(role: string, path: string, length: number, hashesHex: Readonly<Record<string, string>>, custom: TargetFile['custom']): void {
    let seg = this.open;
    if (seg === null || seg.role !== role) {
      seg = { role, paths: [], lengths: [], hashes: [], custom: [] };
      this.segments.push(seg);
      this.open = seg;
    }
    seg.paths.push(path);
    seg.lengths.push(length);
    seg.hashes.push(hashesHex);
    seg.custom.push(custom);
    this.size++;
  }

  /** A whole role's rows at once (pre-verified facts), referenced, not copied. */
  addColumns(role: string, columns: Omit<Segment, 'role'>): void {
    this.segments.push({ role, paths: columns.paths, lengths: columns.lengths, hashes: columns.hashes, custom: columns.custom });
    this.open = null;
    this.size += columns.paths.length;
  }
}

/** Row i of a segment as a view. The hex hashes record is shared, not copied (as `custom` already
 * is): the parsed model is dropped once the report exists, and a PEP 458 report would otherwise
 * copy 2.28 M of them. */
function view(seg: Segment, i: number, signers: string[]): TargetView {
  const v: TargetView = { name: seg.paths[i] as string, length: seg.lengths[i] as number, hashes: seg.hashes[i] as Record<string, string>, role: seg.role, signers };
  const custom = seg.custom[i];
  if (custom !== undefined) v.custom = custom;
  return v;
}

/**
 * True when no path can be listed by two of these roles: each sits under its own first edge from
 * `targets` with `path_hash_prefixes`, and no edge's prefix is a prefix of another edge's (PEP 458
 * bins). A listed path was admitted by its first edge, i.e. its hash starts with one of that edge's
 * prefixes, so at most one of the roles can list it. `null` edge (top-level targets): not proven.
 */
function disjointHashBins(firstEdges: ReadonlyMap<string, DelegationEdge | null>): boolean {
  const owners: Array<{ prefix: string; edge: DelegationEdge }> = [];
  const edges = new Set<DelegationEdge>();
  for (const edge of firstEdges.values()) {
    if (edge === null || edge.pathHashPrefixes === null || edge.pathHashPrefixes.length === 0 || edges.has(edge)) return false;
    edges.add(edge);
    for (const p of edge.pathHashPrefixes) owners.push({ prefix: p.toLowerCase(), edge });
  }
  owners.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  // Sorted, the strings a prefix covers follow it contiguously: keep the chain of prefixes of the
  // current string on a stack; any of them from another edge is an overlap.
  const open: Array<{ prefix: string; edge: DelegationEdge }> = [];
  for (const cur of owners) {
    while (open.length > 0 && !cur.prefix.startsWith(open[open.length - 1]!.prefix)) open.pop();
    if (open.some((o) => o.edge !== cur.edge)) return false;
    open.push(cur);
  }
  return true;
}

/** TUF: the first role (in preorder) listing a path wins, like the client's search. */
function tufRows(listed: Listing, disjoint: boolean): TargetView[] {
  const rows: TargetView[] = [];
  const { segments } = listed;
  // A role's own paths are unique (map keys): duplicates are only possible across roles, and not
  // at all across disjoint hash bins (no 2.28 M-entry Set at PEP 458 scale).
  const single = disjoint || segments.every((seg) => seg.role === segments[0]?.role);
  const seen = single ? null : new Set<string>();
  for (const seg of segments) {
    // One signers array per role, shared by its rows: TUF rows are never edited after this
    // (only notaryRows adds signers, to rows of its own), and 100k one-element arrays cost GC time.
    const signers = [seg.role];
    for (let i = 0; i < seg.paths.length; i++) {
      if (seen !== null) {
        const path = seg.paths[i] as string;
        if (seen.has(path)) continue;
        seen.add(path);
      }
      rows.push(view(seg, i, signers));
    }
  }
  return rows;
}

function signerName(role: string): string {
  return role === 'targets' || role === RELEASES ? REPO_ADMIN : role.replace(/^targets\//, '');
}

function notaryRows(listed: Listing): TargetView[] {
  const released = (r: string) => r === 'targets' || r === RELEASES;
  const sha256Of = (hashes: Readonly<Record<string, string>> | undefined) => hashes?.['sha256'] ?? '';
  const rows = new Map<string, TargetView>();
  // Pass 1: released tags; targets/releases is preferred over targets (docker pull's lookup order),
  // so its segments go first; within a role the first listing of a path wins.
  for (const preferred of [RELEASES, 'targets']) {
    for (const seg of listed.segments) {
      if (seg.role !== preferred) continue;
      for (let i = 0; i < seg.paths.length; i++) {
        const path = seg.paths[i] as string;
        if (!rows.has(path)) rows.set(path, view(seg, i, []));
      }
    }
  }
  // Pass 2, in preorder: another delegation listing the same tag with the same digest signs it
  // (the released row's, or the first delegation row's); a tag no released role lists gets the
  // first delegation's row. A different digest for a tag already listed adds nothing.
  for (const seg of listed.segments) {
    if (released(seg.role)) continue;
    const name = signerName(seg.role);
    for (let i = 0; i < seg.paths.length; i++) {
      const path = seg.paths[i] as string;
      const row = rows.get(path);
      if (row === undefined) rows.set(path, view(seg, i, [name]));
      else if (sha256Of(row.hashes) === sha256Of(seg.hashes[i]) && !row.signers.includes(name)) row.signers.push(name);
    }
  }
  for (const row of rows.values()) if (row.signers.length === 0) row.signers.push(REPO_ADMIN);
  return [...rows.values()];
}
