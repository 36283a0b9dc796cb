// Summarises a V8 .cpuprofile of the bundled Keyrite child: self time per function and per source
// file. Bundle lines are mapped back to source files through esbuild's `// path/file.ts` markers.
import { readFileSync } from 'node:fs';

function sourceFileIndex(bundleFile) {
  const marks = [];
  readFileSync(bundleFile, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const m = /^\/\/ ((?:shared|electron|scripts|node_modules)\/\S+)$/.exec(line);
      if (m) marks.push({ line: i, file: m[1] });
    });
  return (line) => {
    let lo = 0;
    let hi = marks.length - 1;
    let found = '(bundle)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid].line <= line) {
        found = marks[mid].file;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

export function summarizeProfile(profileFile, bundleFile, top = 15) {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
  const fileOf = sourceFileIndex(bundleFile);
  const selfUs = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map();
  const byFile = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { callFrame: f } = byId.get(id);
    const inBundle = f.url.endsWith(bundleFile.split('/').at(-1));
    const file = inBundle ? fileOf(f.lineNumber) : f.url ? f.url.replace(/^.*node_modules\//, 'node_modules/').replace(/^node:/, 'node:') : `(${f.functionName || 'native'})`;
    const fn = `${f.functionName || '(anonymous)'}  ${file}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    total += us;
  }
  const rank = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: Math.round(us / 1000), pct: Math.round((1000 * us) / total) / 10 }));
  return { totalMs: Math.round(total / 1000), functions: rank(byFunction), files: rank(byFile) };
}
