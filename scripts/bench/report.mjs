// Text table and target checks for the bench results.
const MiB = 1024 * 1024;

export const fmtS = (ms) => (ms === null || ms === undefined ? '-' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
export const fmtRss = (kib) => (kib ? `${Math.round(kib / 1024)} MiB` : '-');
export const mbps = (bytes, ms) => (bytes && ms ? (bytes / MiB / (ms / 1000)).toFixed(1) : '-');

function pad(cells, widths) {
  return cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
}

export function formatTable(rows) {
  const header = ['dataset', 'tool', 'wall', 'CPU', 'load', 'MiB/s', 'peak RSS', 'keyrite/peer', 'note'];
  const body = rows.map((r) => [
    r.dataset,
    r.tool,
    r.ok ? fmtS(r.wallMs) : 'FAILED',
    r.ok ? fmtS(r.cpuMs) : '-',
    r.load ?? '-',
    r.ok ? mbps(r.bytes, r.wallMs) : '-',
    fmtRss(r.peakRssKiB),
    r.ratio ?? '',
    r.ok ? (r.note ?? '') : r.error,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  widths[widths.length - 1] = 0;
  return [pad(header, widths), pad(widths.map((w) => '-'.repeat(Math.max(w, 4))), widths), ...body.map((b) => pad(b, widths))].join('\n');
}

/** `keyrite/peer` text for a peer row: the wall ratio and, when faster, the speed-up. */
export function ratioText(keyrite, peer) {
  if (!keyrite?.ok) return 'n/a (keyrite failed)';
  if (peer?.skipped) return 'n/a (not run)';
  if (!peer?.ok) return peer?.timedOut ? `< ${(keyrite.wallMs / (peer.boundS * 1000)).toFixed(4)} (peer > bound)` : 'n/a';
  const r = keyrite.wallMs / peer.wallMs;
  return r < 1 ? `${r.toFixed(3)} (${(1 / r).toFixed(1)}x faster)` : `${r.toFixed(2)} (${r.toFixed(1)}x slower)`;
}

/** The performance targets, reported as text (no exit failure). */
export function checkTargets(m, quick) {
  const out = [];
  const verdict = (pass, text, measured) => out.push({ pass, text, measured });
  const a = m.keyrite.A;
  verdict(a?.ok ? a.wallMs <= 400 : false, `A: full verification <= 0.4 s${quick ? ' (quick set: target applies to 100,000 targets)' : ''}`, a?.ok ? `${fmtS(a.wallMs)}${vsNaive(a, m.naive?.A, quick ? null : 1220)}` : (a?.error ?? 'not run'));
  const k20 = m.keyriteFlat[20000];
  const t20 = m.tufjsFlat[20000];
  if (!k20 || !t20 || t20.skipped) {
    verdict(null, 'A: >= 100x faster than stock tuf-js at 20,000 targets', quick ? 'not measured in --quick (20k tuf-js takes minutes)' : `not measured: ${t20?.error ?? 'no run'}`);
  } else if (t20.ok && k20.ok) {
    const x = t20.wallMs / k20.wallMs;
    verdict(x >= 100, 'A: >= 100x faster than stock tuf-js at 20,000 targets', `${x.toFixed(1)}x (${fmtS(k20.wallMs)} vs ${fmtS(t20.wallMs)})`);
  } else if (t20.timedOut && k20.ok) {
    const x = (t20.boundS * 1000) / k20.wallMs;
    verdict(x >= 100 ? true : null, 'A: >= 100x faster than stock tuf-js at 20,000 targets', `tuf-js did not finish in ${t20.boundS} s: >= ${x.toFixed(1)}x`);
  } else verdict(false, 'A: >= 100x faster than stock tuf-js at 20,000 targets', `keyrite: ${k20.error ?? 'ok'}; tuf-js: ${t20.error ?? 'ok'}`);
  const b = m.keyrite.B;
  const bScale = quick ? ' (quick set: target applies to the full 16,384-bin set)' : '';
  // A run that stopped at a cap (health not healthy, fewer targets) did not do the whole job.
  const complete = b?.ok && b.health === 'healthy' && b.targets === m.expectedTargets.B;
  const partial = b?.ok && !complete ? ` but INCOMPLETE: ${b.health}, ${b.targets} of ${m.expectedTargets.B} targets, ${JSON.stringify(b.findings)}` : '';
  verdict(b?.ok ? complete && b.wallMs <= 8000 : false, `B: <= 8 s wall on 2 cores${bScale}`, b?.ok ? `${fmtS(b.wallMs)}${partial}${vsNaive(b, m.naive?.B, quick ? null : 14_200)}` : (b?.error ?? 'not run'));
  verdict(b?.ok ? complete && b.peakRssKiB <= 1024 * 1024 : false, `B: peak RSS <= 1 GiB${bScale}`, b?.ok ? `${fmtRss(b.peakRssKiB)}${partial}` : (b?.error ?? 'not run'));
  const cli = m.cli.C;
  const notary = m.notary;
  if (cli?.ok && notary?.ok) {
    verdict(cli.wallMs < notary.wallMs, 'C: faster than `notary list` (both as processes: keyrite CLI vs notary)', `${fmtS(cli.wallMs)} vs ${fmtS(notary.wallMs)}`);
  } else verdict(false, 'C: faster than `notary list`', `keyrite CLI: ${cli?.error ?? (cli ? 'ok' : 'not run')}; notary: ${notary?.error ?? (notary ? 'ok' : 'not run')}`);
  const c = m.keyrite.C;
  if (c?.ok && notary?.ok) verdict(c.wallMs < notary.wallMs, 'C: (in-process) faster than `notary list`', `${fmtS(c.wallMs)} vs ${fmtS(notary.wallMs)}`);
  return out;
}

/**
 * The naive approach ran here too: how much faster Keyrite is, and what that would make on the
 * machine perf.md measured (its naive figure: A 1.22 s, B 14.2 s on 2 workers).
 */
function vsNaive(k, naive, referenceNaiveMs) {
  if (!naive?.ok) return '';
  const x = naive.wallMs / k.wallMs;
  const speed = x >= 1 ? `${x.toFixed(2)}x faster` : `${(1 / x).toFixed(2)}x slower`;
  const reference = referenceNaiveMs === null ? '' : `; perf.md's machine ran it in ${fmtS(referenceNaiveMs)}`;
  return ` (naive approach here ${fmtS(naive.wallMs)}: keyrite ${speed}${reference})`;
}

export function formatTargets(targets) {
  return targets.map((t) => `  [${t.pass === true ? 'PASS' : t.pass === false ? 'FAIL' : ' -- '}] ${t.text}: ${t.measured}`).join('\n');
}
