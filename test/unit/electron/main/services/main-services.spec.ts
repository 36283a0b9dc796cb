import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { createMainServices, type MainServices } from '../../../../../electron/main/services/main-services';
import { recordingLogger } from '../support/fakes';

const repoRoot = path.resolve(import.meta.dirname, '../../../../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures');
const notary01 = path.join(fixtures, 'notary-compat', 'notary0.1');
const APP = { url: 'app://keyrite/index.html', isTopFrame: true };

/**
 * The app's real wiring (core services + handlers + registry + emitter) in plain Node, with only
 * the folder picker and the event sink faked: what the e2e harness builds too.
 */
describe('createMainServices (real core services)', () => {
  let services: MainServices | null = null;
  let workspaceDir = '';
  afterEach(async () => {
    await services?.close();
    services = null;
    if (workspaceDir) rmSync(workspaceDir, { recursive: true, force: true });
  });

  function build(pickedDir: string | null, isTrustedOrigin?: (origin: string) => boolean) {
    workspaceDir = mkdtempSync(path.join(tmpdir(), 'keyrite-main-services-'));
    const events: Array<[string, unknown]> = [];
    const log = recordingLogger();
    services = createMainServices({
      workspaceDir,
      networkMode: 'offline',
      appVersion: '0.1.0',
      platform: 'linux',
      logger: log.logger,
      showDirectoryDialog: () => Promise.resolve(pickedDir === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [pickedDir] }),
      sendEvent: (channel, payload) => events.push([channel, payload]),
      ...(isTrustedOrigin ? { isTrustedOrigin } : {}),
    });
    return { services, events, log };
  }

  it('answers the snapshot and an empty list for a fresh workspace', async () => {
    const { services } = build(null);
    expect(await services.registry.dispatch('app:getSnapshot', undefined, APP)).toEqual({
      ok: true,
      value: { appVersion: '0.1.0', networkMode: 'offline', platform: 'linux' },
    });
    expect(await services.registry.dispatch('repositories:list', undefined, APP)).toEqual({ ok: true, value: [] });
    expect(await services.registry.dispatch('repositories:pickDirectory', { title: 'Pick' }, APP)).toEqual({ ok: true, value: null });
  });

  it('refuses a pickId main never issued (the renderer cannot name a path)', async () => {
    const { services } = build(null);
    const result = await services.registry.dispatch(
      'repositories:add',
      { source: { kind: 'directory', pickId: '00000000-0000-4000-8000-000000000000' }, params: { jobId: 'job-00001' } },
      APP,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'InvalidInput', name: 'UnknownPickError' } });
  });

  it('refuses network sources while offline with SourceUnavailable', async () => {
    const { services } = build(null);
    const result = await services.registry.dispatch(
      'repositories:add',
      { source: { kind: 'tuf-url', url: 'https://tuf.example/metadata/' }, params: { jobId: 'job-00002' } },
      APP,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'SourceUnavailable', name: 'NetworkRefusedError' } });
  });

  // Skipped only when ../shared/fixtures is absent (see COMMON rules); it never is in CI.
  it.skipIf(!existsSync(notary01))('adds a picked trust dir, emits progress and changed events, and lists it', async () => {
    const { services, events } = build(notary01);
    const picked = await services.registry.dispatch('repositories:pickDirectory', { title: 'Trust dir' }, APP);
    expect(picked).toMatchObject({ ok: true, value: { displayPath: notary01 } });
    const pickId = picked.ok && picked.value !== null && typeof picked.value === 'object' ? (picked.value as { pickId: string }).pickId : '';
    const added = await services.registry.dispatch(
      'repositories:add',
      { source: { kind: 'directory', pickId }, params: { jobId: 'job-00003', at: '2026-01-01T00:00:00Z' } },
      APP,
    );
    expect(added).toMatchObject({ ok: true, value: [{ name: 'docker.com/notary0.1/samplerepo', dialect: 'notary-v1' }] });
    const channels = new Set(events.map(([channel]) => channel));
    expect(channels).toEqual(new Set(['repositories:onProgress', 'repositories:onChanged']));
    expect(events).toContainEqual(['repositories:onProgress', expect.objectContaining({ jobId: 'job-00003', phase: 'done' })]);
    const list = await services.registry.dispatch('repositories:list', undefined, APP);
    expect(list).toMatchObject({ ok: true, value: [{ name: 'docker.com/notary0.1/samplerepo' }] });
  });

  it('takes the harness origin when told to, and then refuses app://keyrite', async () => {
    const { services } = build(null, (origin) => origin === 'http://127.0.0.1:41234');
    expect((await services.registry.dispatch('repositories:list', undefined, { url: 'http://127.0.0.1:41234/', isTopFrame: true })).ok).toBe(true);
    expect((await services.registry.dispatch('repositories:list', undefined, APP)).ok).toBe(false);
  });
});
