import type { Finding, FindingCode, Severity } from './report';

/** Collects findings once each: the same code about the same role/key with the same message is noise. */
export class FindingSink {
  private readonly list: Finding[] = [];
  private readonly seen = new Set<string>();

  add(code: FindingCode, severity: Severity, message: string, extra: { role?: string; keyid?: string; detail?: string } = {}): void {
    const key = `${code}\u0000${extra.role ?? ''}\u0000${extra.keyid ?? ''}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const finding: Finding = { code, severity, message };
    if (extra.role !== undefined) finding.role = extra.role;
    if (extra.keyid !== undefined) finding.keyid = extra.keyid;
    if (extra.detail !== undefined) finding.detail = extra.detail;
    this.list.push(finding);
  }

  error(code: FindingCode, message: string, extra?: { role?: string; keyid?: string; detail?: string }): void {
    this.add(code, 'error', message, extra);
  }

  warning(code: FindingCode, message: string, extra?: { role?: string; keyid?: string; detail?: string }): void {
    this.add(code, 'warning', message, extra);
  }

  info(code: FindingCode, message: string, extra?: { role?: string; keyid?: string; detail?: string }): void {
    this.add(code, 'info', message, extra);
  }

  /** Replaces matching findings (used when a later, wider view explains an earlier one). */
  replace(match: (f: Finding) => boolean, by: Finding | null): void {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const f = this.list[i];
      if (f !== undefined && match(f)) this.list.splice(i, 1);
    }
    if (by !== null) this.list.push(by);
  }

  has(code: FindingCode, role?: string): boolean {
    return this.list.some((f) => f.code === code && (role === undefined || f.role === role));
  }

  /** Errors first, then warnings, then info; stable within a severity (discovery order). */
  sorted(): Finding[] {
    const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
    return this.list.map((f, i) => ({ f, i })).sort((a, b) => rank[a.f.severity] - rank[b.f.severity] || a.i - b.i).map((x) => x.f);
  }
}

export function healthOf(findings: readonly Finding[]): 'healthy' | 'warning' | 'error' {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return 'healthy';
}
