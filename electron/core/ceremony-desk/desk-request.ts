/** Reads the request bundle a wizard chose (the online side's pull), refusing any other kind of bundle. */
import type { RepoState } from '../../../shared/ceremony/types';
import { readBundleFile } from '../bundles';
import { RequestBundleError } from './errors';

export async function readRequest(filePath: string): Promise<RepoState> {
  const bundle = await readBundleFile(filePath);
  if (bundle.content.kind !== 'request' || bundle.content.state === undefined) {
    throw new RequestBundleError(`${filePath} is a ${bundle.content.kind} bundle; choose a request bundle (from "keyrite pull")`);
  }
  return bundle.content.state;
}
