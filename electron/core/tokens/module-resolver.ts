/** Finds the PKCS#11 module file for a profile (hardware.md §7 "Profiles"). */
import { existsSync } from 'node:fs';

import { MODULE_PROFILES, type ModulePlatform, type ModuleProfileId } from '../../../shared/token/module-profiles';
import { TokenModuleLoadError } from '../../../shared/token/errors';

export interface ModuleResolveOptions {
  platform?: ModulePlatform;
  exists?: (path: string) => boolean;
  /** Required for the `custom` profile: the path the user gave. */
  customPath?: string;
}

export function resolveModulePath(profile: ModuleProfileId, options: ModuleResolveOptions = {}): string {
  if (profile === 'custom') {
    if (!options.customPath) throw new TokenModuleLoadError('The custom PKCS#11 profile needs a module path.');
    return options.customPath;
  }
  const platform = options.platform ?? (process.platform as ModulePlatform);
  const exists = options.exists ?? existsSync;
  const candidates = MODULE_PROFILES[profile].candidates[platform] ?? [];
  const found = candidates.find((candidate) => exists(candidate));
  if (!found) {
    throw new TokenModuleLoadError(
      `No ${MODULE_PROFILES[profile].title} module found; tried ${candidates.join(', ') || '(no known paths on this platform)'}.`,
      { profile },
    );
  }
  return found;
}
