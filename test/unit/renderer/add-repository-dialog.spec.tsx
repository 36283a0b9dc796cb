// @vitest-environment jsdom
import { act } from 'react';
import type { Root } from 'react-dom/client';
import { beforeEach, describe, expect, it } from 'vitest';

import { ok } from '../../../shared/ipc/result';
import { AddRepositoryDialog } from '../../../renderer/features/repositories/components/add-repository-dialog';
import { setApi } from '../../../renderer/lib/api';
import { useAppStore } from '../../../renderer/stores/app-store';
import { useDomRoot } from './dom-root';
import { fakeApi } from './fake-api';

let container: HTMLDivElement;
let root: Root;
let closed = 0;
useDomRoot([], (mounted) => ({ container, root } = mounted));

const render = async (networkMode: 'offline' | 'online') => {
  useAppStore.setState({ snapshot: { appVersion: '0.1.0', networkMode, platform: 'linux' } });
  await act(async () => {
    root.render(<AddRepositoryDialog onClose={() => (closed += 1)} onAdded={() => undefined} />);
    await Promise.resolve();
  });
};
const radio = (name: string) => [...container.querySelectorAll<HTMLInputElement>('input[type=radio]')].find((r) => r.value === name);

beforeEach(() => {
  closed = 0;
});

describe('AddRepositoryDialog', () => {
  describe('when air-gapped', () => {
    it('disables the network sources and says why', async () => {
      setApi(fakeApi({}).api);
      await render('offline');
      expect(radio('directory')?.disabled).toBe(false);
      expect(radio('notary-server')?.disabled).toBe(true);
      expect(radio('tuf-url')?.disabled).toBe(true);
      expect(container.textContent).toContain('Unavailable in air-gapped mode');
    });
  });

  describe('when online', () => {
    it('enables the Notary server source', async () => {
      setApi(fakeApi({}).api);
      await render('online');
      expect(radio('notary-server')?.disabled).toBe(false);
    });
  });

  it('shows the folder main picked and closes on Escape', async () => {
    setApi(fakeApi({ 'repositories:pickDirectory': () => ok({ pickId: 'pick-00000001', displayPath: '/home/officer/.docker/trust' }) }).api);
    await render('offline');
    const choose = [...container.querySelectorAll('button')].find((b) => b.textContent?.includes('Choose folder'));
    await act(async () => {
      choose?.click();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(container.querySelector('[data-testid=picked-path]')?.textContent).toBe('/home/officer/.docker/trust');
    act(() => {
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    });
    expect(closed).toBe(1);
  });
});
