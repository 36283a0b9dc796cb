/**
 * The GUI's online side: pull a Notary GUN or a TUF repository into a request bundle, exactly as
 * `keyrite pull` does, but only when the app was started in online mode (air-gapped is the
 * default and refuses any network access) and never over an existing file.
 */
import { PolicyHttpGetter } from '../net/http-fetch';
import { createNetworkPolicy, type NetworkMode } from '../net/network-policy';
import { writeBundle } from '../bundles';
import { writeFileExclusive } from '../keys/exclusive-write';
import { KeyFileExistsError } from '../keys/errors';
import { pullNotary, pullTuf } from '../remote';
import { createHash } from 'node:crypto';
import { NetworkModeError, RequestFileExistsError } from './errors';

export type PullSource = { kind: 'notary'; server: string; gun: string } | { kind: 'tuf'; url: string };

export interface PulledRequestFile {
  displayPath: string;
  sha256: string;
  repository: string;
  dialect: 'notary-v1' | 'tuf-1.0';
  rootVersion: number;
}

export const ONLINE_MODE_HINT = 'quit Keyrite and start it again with KEYRITE_NETWORK=online on the online workstation (or run "keyrite pull --online" there)';

export async function pullRequestBundle(mode: NetworkMode, source: PullSource, savePath: string): Promise<PulledRequestFile> {
  const where = source.kind === 'notary' ? source.server : source.url;
  if (mode !== 'online') throw new NetworkModeError(`Keyrite runs air-gapped (the default): refusing to contact ${where}. To pull, ${ONLINE_MODE_HINT}.`);
  const http = new PolicyHttpGetter(createNetworkPolicy('online'));
  const state = source.kind === 'notary' ? await pullNotary({ url: source.server, gun: source.gun }, { http }, { snapshot: 'auto' }) : await pullTuf(source.url, { http });
  const bytes = await writeBundle('request', { repository: { dialect: state.dialect, name: state.name }, createdAt: state.createdAt, nonce: state.nonce, state });
  try {
    await writeFileExclusive(savePath, bytes, 0o644);
  } catch (error) {
    if (error instanceof KeyFileExistsError) throw new RequestFileExistsError(`${savePath} already exists; choose a new file name (a pull never replaces a file)`);
    throw error;
  }
  return {
    displayPath: savePath,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    repository: state.name,
    dialect: state.dialect,
    rootVersion: state.rootHistory.length,
  };
}
