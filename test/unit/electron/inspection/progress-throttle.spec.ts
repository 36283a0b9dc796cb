import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Progress } from '../../../../shared/ipc/contract';
import { ProgressThrottle } from '../../../../electron/core/inspection/progress-throttle';

let clock = 0;
let seen: Progress[];
let throttle: ProgressThrottle;
const p = (phase: Progress['phase'], done: number, total: number, jobId = 'job-a'): Progress => ({ jobId, phase, done, total });
const counts = () => seen.map((e) => `${e.jobId === 'job-a' ? '' : `${e.jobId}:`}${e.phase} ${e.done}/${e.total}`);

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
  seen = [];
  throttle = new ProgressThrottle((e) => seen.push(e), () => clock, 100);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ProgressThrottle', () => {
  it('passes a job’s first event, phase changes, a phase’s last count and the end; thins the counts between', () => {
    throttle.push(p('fetching', 0, 0));
    throttle.push(p('parsing', 1, 1));
    for (let done = 1; done <= 16_389; done++) {
      if (done % 1000 === 0) clock += 30;
      throttle.push(p('verifying', done, 16_389));
    }
    throttle.push(p('saving', 0, 1));
    throttle.push(p('saving', 1, 1));
    throttle.push(p('done', 1, 1));
    const out = counts();
    expect(out.slice(0, 3)).toEqual(['fetching 0/0', 'parsing 1/1', 'verifying 1/16389']);
    expect(out.slice(-4)).toEqual(['verifying 16389/16389', 'saving 0/1', 'saving 1/1', 'done 1/1']);
    // 16 × 30 ms of counting: one count per 100 ms at most, not 16,389.
    expect(out.filter((e) => e.startsWith('verifying')).length).toBeLessThanOrEqual(8);
    vi.runAllTimers();
    expect(counts()).toEqual(out);
  });

  it('sends the latest held-back count when the interval is over, so the display never stays behind', () => {
    throttle.push(p('verifying', 1, 100));
    clock += 10;
    throttle.push(p('verifying', 2, 100));
    throttle.push(p('verifying', 3, 100));
    expect(counts()).toEqual(['verifying 1/100']);
    clock += 90;
    vi.advanceTimersByTime(90);
    expect(counts()).toEqual(['verifying 1/100', 'verifying 3/100']);
    vi.runAllTimers();
    expect(counts()).toHaveLength(2);
  });

  it('keeps jobs apart, and a held-back count never follows the end of its job or a new phase', () => {
    throttle.push(p('verifying', 1, 10));
    throttle.push(p('verifying', 1, 10, 'job-b'));
    throttle.push(p('verifying', 2, 10));
    throttle.push(p('verifying', 2, 10, 'job-b'));
    throttle.push(p('cancelled', 0, 0));
    throttle.push(p('saving', 0, 1, 'job-b'));
    vi.runAllTimers();
    expect(counts()).toEqual(['verifying 1/10', 'job-b:verifying 1/10', 'cancelled 0/0', 'job-b:saving 0/1']);
  });
});
