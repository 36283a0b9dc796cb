import type { ModuleProfileId } from '../../../shared/token/module-profiles';
import { resolveModulePath, type ModuleResolveOptions } from '../../core/tokens/module-resolver';

export type ModuleChoice = { modulePath: string } | { unavailable: string };

const PROFILES: readonly ModuleProfileId[] = ['ykcs11', 'opensc', 'softhsm2'];

/**
 * Which PKCS#11 module the app loads: `KEYRITE_PKCS11_MODULE` (a profile name or a module path),
 * else Yubico's ykcs11 at its usual paths. A missing module is a state the Keys screen explains,
 * not a start-up failure: file keys and the inventory still work.
 */
export function chooseTokenModule(env: Readonly<Record<string, string | undefined>>, options: ModuleResolveOptions = {}): ModuleChoice {
  const wanted = env['KEYRITE_PKCS11_MODULE']?.trim() || 'ykcs11';
  try {
    const modulePath = (PROFILES as readonly string[]).includes(wanted)
      ? resolveModulePath(wanted as ModuleProfileId, options)
      : resolveModulePath('custom', { ...options, customPath: wanted });
    return { modulePath };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { unavailable: `${detail} Install the YubiKey PKCS#11 module (ykcs11) or set KEYRITE_PKCS11_MODULE to a module path.` };
  }
}
