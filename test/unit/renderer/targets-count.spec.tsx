// @vitest-environment jsdom
import { act } from 'react';
import type { Root } from 'react-dom/client';
import { beforeEach, describe, expect, it } from 'vitest';

import { ok } from '../../../shared/ipc/result';
import { TargetsTable } from '../../../renderer/features/repositories/components/targets-table';
import { setApi } from '../../../renderer/lib/api';
import { useTargetsStore } from '../../../renderer/stores/targets-store';
import { useDomRoot } from './dom-root';
import { fakeApi } from './fake-api';

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  // jsdom has no layout: scrolling is a no-op here.
  Element.prototype.scrollTo = function scrollTo() {};
});
useDomRoot([], (mounted) => {
  host = mounted.container;
  root = mounted.root;
});

async function countText(): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const text = host.querySelector('[data-testid="targets-count"]')?.textContent ?? '';
    if (text !== '' && text !== 'Loading targets…') return text;
    await act(async () => new Promise((resolve) => setTimeout(resolve, 10)));
  }
  throw new Error('targets count never loaded');
}

describe('TargetsTable count', () => {
  it('says how many targets the repository has when the report keeps only the first rows (PEP 458)', async () => {
    // The report of B keeps 262,144 rows; the repository has 2,277,376 trusted targets.
    setApi(fakeApi({ 'repositories:getTargets': () => ok({ total: 262_144, offset: 0, rows: [] }) }).api);
    useTargetsStore.setState({ repoId: null, query: '', total: null, pages: {} });
    await act(async () => {
      root.render(<TargetsTable repoId="pep458-0123456789" total={2_277_376} />);
      await Promise.resolve();
    });
    expect(await countText()).toBe('2,277,376 targets; the table holds the first 262,144');
  });

  it('keeps the plain count when every target is in the table', async () => {
    setApi(fakeApi({ 'repositories:getTargets': () => ok({ total: 4, offset: 0, rows: [] }) }).api);
    useTargetsStore.setState({ repoId: null, query: '', total: null, pages: {} });
    await act(async () => {
      root.render(<TargetsTable repoId="small-0123456789" total={4} />);
      await Promise.resolve();
    });
    expect(await countText()).toBe('4 targets');
  });
});
