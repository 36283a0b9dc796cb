// @vitest-environment jsdom
import { act } from 'react';
import type { Root } from 'react-dom/client';
import { describe, expect, it } from 'vitest';

import { JobProgress } from '../../../renderer/features/repositories/components/job-progress';
import type { Job } from '../../../renderer/stores/repositories-store';
import { useDomRoot } from './dom-root';

let host: HTMLDivElement;
let root: Root;
useDomRoot([], (mounted) => {
  host = mounted.container;
  root = mounted.root;
});

const job = (jobId: string, progress: Job['progress']): Job => ({ jobId, label: 'Inspecting folder', progress });
const at = (phase: NonNullable<Job['progress']>['phase'], done: number, total: number): Job['progress'] => ({ jobId: 'j1', phase, done, total });

function bar(): number {
  const el = host.querySelector('progress');
  if (el === null) throw new Error('no progress bar');
  return Number(el.getAttribute('value') ?? '-1');
}

describe('JobProgress', () => {
  it('one bar over all phases only moves forward, with per-phase labels', () => {
    const seen: number[] = [];
    const steps: Array<Job['progress']> = [
      at('fetching', 10, 0),
      at('fetching', 16_389, 0),
      at('parsing', 1, 1),
      at('verifying', 0, 16_389),
      at('verifying', 8_000, 16_389),
      at('verifying', 16_389, 16_389),
      // A late event of an earlier phase must not pull the bar back.
      at('verifying', 100, 16_389),
      at('saving', 0, 1),
      at('saving', 1, 1),
    ];
    for (const p of steps) {
      act(() => root.render(<JobProgress job={job('j1', p)} onCancel={() => undefined} />));
      seen.push(bar());
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] as number);
    expect(seen.at(-1)).toBe(1000);
    act(() => root.render(<JobProgress job={job('j1', at('verifying', 8_000, 16_389))} onCancel={() => undefined} />));
    expect(host.querySelector('[data-testid="job-phase"]')?.textContent).toBe('Step 3 of 4: Verifying signatures — 8,000 of 16,389');
    // A new job starts from zero.
    act(() => root.render(<JobProgress job={job('j2', at('fetching', 1, 0))} onCancel={() => undefined} />));
    expect(bar()).toBe(0);
  });
});
