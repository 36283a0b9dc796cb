import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { err, ok } from '../../../shared/ipc/result';
import { setApi } from '../../../renderer/lib/api';
import { useRepositoriesStore } from '../../../renderer/stores/repositories-store';
import { TARGET_PAGE_SIZE, targetAt, useTargetsStore } from '../../../renderer/stores/targets-store';
import { fakeApi, summary } from './fake-api';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const initialRepos = useRepositoriesStore.getState();
const initialTargets = useTargetsStore.getState();

beforeEach(() => {
  useRepositoriesStore.setState(initialRepos, true);
  useTargetsStore.setState(initialTargets, true);
});
afterEach(() => setApi(null));

describe('repositories store', () => {
  it('loads the list and follows onChanged events from main', async () => {
    const fake = fakeApi({ 'repositories:list': () => ok([summary('a')]) });
    setApi(fake.api);
    const stop = useRepositoriesStore.getState().start();
    await flush();
    expect(useRepositoriesStore.getState().list.map((r) => r.id)).toEqual(['a']);
    fake.emit('repositories:onChanged', [summary('a'), summary('b', { health: 'error', errors: 2 })]);
    expect(useRepositoriesStore.getState().list.map((r) => r.id)).toEqual(['a', 'b']);
    stop();
    fake.emit('repositories:onChanged', []);
    expect(useRepositoriesStore.getState().list).toHaveLength(2);
  });

  it('drops an event payload that fails the contract schema', async () => {
    const fake = fakeApi({ 'repositories:list': () => ok([summary('a')]) });
    setApi(fake.api);
    useRepositoriesStore.getState().start();
    await flush();
    fake.emit('repositories:onChanged', [{ id: 'a', privateKey: 'nope' }]);
    expect(useRepositoriesStore.getState().list.map((r) => r.id)).toEqual(['a']);
  });

  it('shows progress only for its own job and returns the precise error of a failed add', async () => {
    let jobId = '';
    let finish: (value: unknown) => void = () => undefined;
    const fake = fakeApi({
      'repositories:add': (payload) => {
        jobId = (payload as { params: { jobId: string } }).params.jobId;
        return new Promise((resolve) => {
          finish = resolve as (value: unknown) => void;
        });
      },
    });
    setApi(fake.api);
    useRepositoriesStore.getState().start();
    const pending = useRepositoriesStore.getState().add({ kind: 'directory', pickId: 'pick-00000001' }, 'Inspecting folder');
    await flush();
    fake.emit('repositories:onProgress', { jobId: 'someone-elses-job', phase: 'parsing', done: 1, total: 9 });
    expect(useRepositoriesStore.getState().job?.progress).toBeNull();
    fake.emit('repositories:onProgress', { jobId, phase: 'verifying', done: 2, total: 5 });
    expect(useRepositoriesStore.getState().job?.progress).toMatchObject({ phase: 'verifying', done: 2, total: 5 });
    finish(err('SourceUnavailable', 'No Notary or TUF metadata in /tmp/x.', 'SourceNotFoundError'));
    const result = await pending;
    expect(result.error).toEqual({ code: 'SourceUnavailable', message: 'No Notary or TUF metadata in /tmp/x.', name: 'SourceNotFoundError' });
    expect(useRepositoriesStore.getState().job).toBeNull();
  });
});

describe('targets store', () => {
  const row = (i: number) => ({ name: `t${i}`, length: i, hashes: { sha256: 'ab'.repeat(32) }, role: 'targets', signers: ['Repo Admin'] });

  it('fetches pages on demand and drops pages of a superseded query', async () => {
    const requests: Array<{ offset: number; query?: string }> = [];
    const fake = fakeApi({
      'repositories:getTargets': (payload) => {
        const p = payload as { offset: number; limit: number; query?: string };
        requests.push(p.query === undefined ? { offset: p.offset } : { offset: p.offset, query: p.query });
        const total = p.query === undefined ? 2000 : 1;
        const rows = Array.from({ length: Math.max(0, Math.min(p.limit, total - p.offset)) }, (_, k) => row(p.offset + k));
        return ok({ total, offset: p.offset, rows });
      },
    });
    setApi(fake.api);
    useTargetsStore.getState().open('repo-a');
    await flush();
    expect(useTargetsStore.getState().total).toBe(2000);
    useTargetsStore.getState().ensureRange(TARGET_PAGE_SIZE * 2 + 10, TARGET_PAGE_SIZE * 2 + 40);
    await flush();
    expect(targetAt(useTargetsStore.getState().pages, TARGET_PAGE_SIZE * 2 + 10)?.name).toBe(`t${TARGET_PAGE_SIZE * 2 + 10}`);
    expect(requests.map((r) => r.offset)).toEqual([0, TARGET_PAGE_SIZE * 2]);

    useTargetsStore.getState().setQuery('t7');
    await flush();
    expect(useTargetsStore.getState().total).toBe(1);
    expect(requests.at(-1)).toEqual({ offset: 0, query: 't7' });
  });
});
