/**
 * PKCS#11 module profiles (hardware.md §7). Paths are candidates, tried in order; the core
 * resolves them against the file system. `custom` takes the user's path as is.
 */
export type ModuleProfileId = 'ykcs11' | 'opensc' | 'softhsm2' | 'custom';
export type ModulePlatform = 'linux' | 'darwin' | 'win32';

export interface ModuleProfile {
  id: ModuleProfileId;
  title: string;
  /** OpenSC does not write PIV objects: read and sign only. */
  canGenerate: boolean;
  candidates: Readonly<Record<ModulePlatform, readonly string[]>>;
}

export const MODULE_PROFILES: Readonly<Record<Exclude<ModuleProfileId, 'custom'>, ModuleProfile>> = {
  ykcs11: {
    id: 'ykcs11',
    title: 'Yubico YKCS11 (YubiKey PIV)',
    canGenerate: true,
    candidates: {
      linux: [
        '/usr/lib/x86_64-linux-gnu/libykcs11.so',
        '/usr/lib/aarch64-linux-gnu/libykcs11.so',
        '/usr/lib64/libykcs11.so',
        '/usr/lib/libykcs11.so',
        '/usr/local/lib/libykcs11.so',
      ],
      darwin: ['/opt/homebrew/lib/libykcs11.dylib', '/usr/local/lib/libykcs11.dylib'],
      // Needs Yubico's DLLs on PATH (hardware.md §7).
      win32: ['C:\\Program Files\\Yubico\\Yubico PIV Tool\\bin\\libykcs11.dll', 'libykcs11.dll'],
    },
  },
  opensc: {
    id: 'opensc',
    title: 'OpenSC (read and sign)',
    canGenerate: false,
    candidates: {
      linux: [
        '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
        '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
        '/usr/lib64/opensc-pkcs11.so',
        '/usr/lib/opensc-pkcs11.so',
      ],
      darwin: ['/Library/OpenSC/lib/opensc-pkcs11.so', '/opt/homebrew/lib/opensc-pkcs11.so'],
      win32: ['C:\\Program Files\\OpenSC Project\\OpenSC\\pkcs11\\opensc-pkcs11.dll'],
    },
  },
  softhsm2: {
    id: 'softhsm2',
    title: 'SoftHSM2 (testing only)',
    canGenerate: true,
    candidates: {
      linux: ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib64/pkcs11/libsofthsm2.so'],
      darwin: ['/opt/homebrew/lib/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'],
      win32: ['C:\\SoftHSM2\\lib\\softhsm2-x64.dll'],
    },
  },
};
