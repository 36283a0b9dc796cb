import { describe, expect, it } from 'vitest';

import { CancelledError } from '../../../../../electron/core/net/http-fetch';
import { NetworkRefusedError } from '../../../../../electron/core/net/network-policy';
import { GunNotFoundError, SourceFormatError } from '../../../../../electron/core/sources/errors';
import { RepositoryNotFoundError } from '../../../../../electron/core/workspace/workspace';
import { unavailableCeremonyHandlers } from '../../../../../electron/main/ipc/ceremony-handlers';
import { unavailableCustodyHandlers } from '../../../../../electron/main/ipc/custody-handlers';
import { GENERIC_INTERNAL_MESSAGE } from '../../../../../electron/main/ipc/error-mapping';
import { createIpcRegistry, type HandlersOf } from '../../../../../electron/main/ipc/registry';
import { UnknownPickError } from '../../../../../electron/main/services/dialog-service';
import { KeyriteError, MetadataParseError } from '../../../../../shared/errors';
import { contract, type Contract } from '../../../../../shared/ipc/contract';
import { APP_SENDER, recordingLogger } from '../support/fakes';

/** A registry whose `repositories:remove` throws `thrown`. */
function throwing(thrown: unknown, errorCodes?: Record<string, 'Busy'>) {
  const log = recordingLogger();
  const fail = () => {
    throw thrown;
  };
  const handlers = {
    app: { getSnapshot: fail },
    repositories: { list: fail, pickDirectory: fail, add: fail, reinspect: fail, cancel: fail, get: fail, getTargets: fail, remove: fail },
    ...unavailableCustodyHandlers(),
    ...unavailableCeremonyHandlers(),
  } as unknown as HandlersOf<Contract>;
  const registry = createIpcRegistry(contract, handlers, { logger: log.logger, ...(errorCodes ? { errorCodes } : {}) });
  return { dispatch: () => registry.dispatch('repositories:remove', { id: 'abc' }, APP_SENDER), log };
}

describe('IPC error mapping', () => {
  it.each([
    ['RepositoryNotFoundError', new RepositoryNotFoundError('abc'), 'NotFound'],
    ['GunNotFoundError', new GunNotFoundError('docker.io/x', 'http://127.0.0.1:4443'), 'NotFound'],
    ['NetworkRefusedError', new NetworkRefusedError('https://notary.docker.io'), 'SourceUnavailable'],
    ['SourceFormatError', new SourceFormatError('No repository here.'), 'InvalidInput'],
    ['MetadataParseError', new MetadataParseError('Duplicate key "version" at byte 12.'), 'InvalidInput'],
    ['CancelledError', new CancelledError('inspection'), 'Cancelled'],
    ['UnknownPickError', new UnknownPickError(), 'InvalidInput'],
  ])('maps a thrown %s to its code and keeps its message and name', async (name, error, code) => {
    const { dispatch, log } = throwing(error);
    expect(await dispatch()).toEqual({ ok: false, error: { code, message: error.message, name } });
    // Expected failures are not logged as errors.
    expect(log.entries.filter((e) => e.level === 'error')).toHaveLength(0);
  });

  it('honours an ipcCode declared by the error itself', async () => {
    const error = Object.assign(new Error('The token is busy with another ceremony.'), { name: 'TokenBusyError', ipcCode: 'Busy' });
    expect(await throwing(error).dispatch()).toEqual({
      ok: false,
      error: { code: 'Busy', message: 'The token is busy with another ceremony.', name: 'TokenBusyError' },
    });
  });

  it('takes extra name → code entries', async () => {
    const error = Object.assign(new Error('Two ceremonies at once.'), { name: 'CeremonyLockedError' });
    const result = await throwing(error, { CeremonyLockedError: 'Busy' }).dispatch();
    expect(result).toMatchObject({ ok: false, error: { code: 'Busy', name: 'CeremonyLockedError' } });
  });

  it('keeps the message of an unmapped KeyriteError but calls it Internal and logs it', async () => {
    class OddError extends KeyriteError {}
    const { dispatch, log } = throwing(new OddError('Re-run the inspection.'));
    expect(await dispatch()).toEqual({ ok: false, error: { code: 'Internal', message: 'Re-run the inspection.', name: 'OddError' } });
    expect(log.entries.some((e) => e.level === 'error')).toBe(true);
  });

  it.each([
    ['a plain Error', new Error('ENOENT: /home/alice/.keyrite/keys/abc.key')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a thrown string', 'kaboom /home/alice'],
    ['a thrown object', { privateKey: 'x' }],
  ])('turns %s into a generic Internal error and logs the detail in main only', async (_label, thrown) => {
    const { dispatch, log } = throwing(thrown);
    const result = await dispatch();
    expect(result).toEqual({ ok: false, error: { code: 'Internal', message: GENERIC_INTERNAL_MESSAGE } });
    expect(JSON.stringify(result)).not.toContain('/home/alice');
    const logged = log.entries.find((e) => e.level === 'error' && e.message === 'IPC handler failed');
    expect(logged?.details).toMatchObject({ channel: 'repositories:remove' });
    expect(logged?.details?.['error']).toBe(thrown);
  });

  it('maps a rejected promise the same way as a throw', async () => {
    const log = recordingLogger();
    const registry = createIpcRegistry(
      contract,
      {
        app: { getSnapshot: () => ({ appVersion: '1', networkMode: 'offline', platform: 'linux' }) },
        repositories: {
          list: () => Promise.reject(new RepositoryNotFoundError('zzz')),
          pickDirectory: () => null,
          add: () => [],
          reinspect: () => Promise.reject(new Error('x')),
          cancel: () => ({ cancelled: false }),
          get: () => Promise.reject(new Error('x')),
          getTargets: () => ({ total: 0, offset: 0, rows: [] }),
          remove: () => ({ removed: false }),
        },
        ...unavailableCustodyHandlers(),
        ...unavailableCeremonyHandlers(),
      },
      { logger: log.logger },
    );
    expect(await registry.dispatch('repositories:list', undefined, APP_SENDER)).toMatchObject({ ok: false, error: { code: 'NotFound' } });
  });
});
