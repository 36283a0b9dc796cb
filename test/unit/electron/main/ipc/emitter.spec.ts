import { describe, expect, it } from 'vitest';

import { createEmitter } from '../../../../../electron/main/ipc/emitter';
import { contract } from '../../../../../shared/ipc/contract';
import { recordingLogger, SUMMARY } from '../support/fakes';

describe('createEmitter', () => {
  function setup() {
    const sent: Array<[string, unknown]> = [];
    const log = recordingLogger();
    const emitter = createEmitter(contract, (channel, payload) => sent.push([channel, payload]), log.logger);
    return { emitter, sent, log };
  }

  it('has exactly the event entries of the contract', () => {
    const { emitter } = setup();
    expect(Object.keys(emitter)).toEqual(['repositories', 'tokens', 'ceremonies']);
    expect(Object.keys(emitter.repositories).sort()).toEqual(['onChanged', 'onProgress']);
    expect(Object.keys(emitter.tokens).sort()).toEqual(['onChanged', 'onProgress']);
  });

  it('sends a valid payload on the onX channel', () => {
    const { emitter, sent } = setup();
    expect(emitter.repositories.onProgress({ jobId: 'job-00001', phase: 'fetching', done: 0, total: 0 })).toBe(true);
    expect(emitter.repositories.onChanged([SUMMARY])).toBe(true);
    expect(sent).toEqual([
      ['repositories:onProgress', { jobId: 'job-00001', phase: 'fetching', done: 0, total: 0 }],
      ['repositories:onChanged', [SUMMARY]],
    ]);
  });

  it('sends nothing and logs (without values) when a payload fails its strict schema', () => {
    const { emitter, sent, log } = setup();
    const leaky = [{ ...SUMMARY, privateKey: 'TOP-SECRET' }];
    expect(emitter.repositories.onChanged(leaky)).toBe(false);
    expect(emitter.repositories.onProgress({ jobId: 'job-00001', phase: 'fetching', done: Number.NaN, total: 0 })).toBe(false);
    expect(sent).toEqual([]);
    expect(log.entries.filter((e) => e.level === 'error')).toHaveLength(2);
    expect(log.text()).not.toContain('TOP-SECRET');
  });
});
