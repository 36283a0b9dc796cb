// Peak resident set size of this process, in KiB: VmHWM from /proc (Linux), else maxRSS.
import { readFileSync } from 'node:fs';

export function peakRssKiB() {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error; // not Linux: fall through to the portable figure
  }
  return process.resourceUsage().maxRSS;
}
