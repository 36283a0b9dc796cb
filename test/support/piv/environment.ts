/**
 * The emulated-YubiKey stack for ykcs11 tests: PIV card emulator ↔ vpcd ↔ private pcscd ↔ ykcs11
 * (in the token host). One per spec file; `stop()` ends pcscd by PID and closes the emulator.
 *
 *   const piv = await startPivEnvironment();
 *   const client = new TokenClient({ launch: bundle.launch(piv.env), modulePath: piv.modulePath });
 *   ...; await piv.removeCard(); await piv.insertCard(); ...; await piv.stop();
 */
import { accessSync, constants, existsSync } from 'node:fs';

import { AttestationAuthority } from './attestation-ca';
import { PCSCD_BINARY, startPrivatePcscd, SYSTEM_PYTHON, VPCD_DRIVER, type PrivatePcscd } from './pcscd';
import { PivCard } from './piv-card';
import { freePortPair, VpcdCardConnection, type ApduPredicate } from './vpcd-card-connection';

export const YKCS11_MODULE = process.env['YKCS11_MODULE'] ?? '/usr/lib/x86_64-linux-gnu/libykcs11.so';

/** Test credentials: deliberately NOT the YubiKey factory defaults (123456 / 12345678 / 010203…). */
export const TEST_PIN = '271828';
export const TEST_PUK = '31415926';
export const TEST_MANAGEMENT_KEY = '8f3a61c25be04d7791aa0c3e5d26b48f17e9c0a3b2d45e6f';

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EACCES' || (error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function missingReason(): string | null {
  const needed: [string, string][] = [
    [PCSCD_BINARY, 'pcscd'],
    [VPCD_DRIVER, 'vsmartcard-vpcd'],
    [YKCS11_MODULE, 'ykcs11'],
    [SYSTEM_PYTHON, 'python3'],
  ];
  const missing = needed.filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg);
  if (missing.length > 0) return `the emulated-YubiKey stack needs ${missing.join(', ')} (apt-get install ${missing.join(' ')})`;
  // pcscd writes /run/pcscd/pcscd.pid whatever socket it serves.
  if (process.getuid?.() !== 0 && !writable('/run/pcscd')) return 'pcscd needs root or a writable /run/pcscd (it writes its pid file there); CI runs as root';
  return null;
}

/** Why the ykcs11 tests cannot run here, or null when they can. */
export const PIV_ENV_MISSING_REASON = missingReason();

export interface PivEnvironmentOptions {
  pin?: string;
  puk?: string;
  managementKey?: string;
  serial?: number;
  firmware?: readonly [number, number, number];
}

export interface PivEnvironment {
  card: PivCard;
  connection: VpcdCardConnection;
  pcscd: PrivatePcscd;
  modulePath: string;
  /** Environment for the token host (and any PC/SC client): the private pcscd socket. */
  env: NodeJS.ProcessEnv;
  pin: string;
  puk: string;
  managementKey: string;
  /** DER of the emulator's attestation test root (anchor for chain checks). */
  attestationRootDer: Buffer;
  /** "Unplug" the card; resolves at once (vpcd notices on its next poll or APDU). */
  removeCard(): void;
  /** "Replug" it and wait until pcscd has read the ATR again. */
  insertCard(): Promise<void>;
  /** Unplug the card when the next APDU matching `predicate` arrives (it is never answered). */
  removeCardOnApdu(predicate: ApduPredicate): void;
  stop(): Promise<void>;
}

/** GENERAL AUTHENTICATE with a key slot (not 9B, the management-key handshake): a signature. */
export const isSignApdu: ApduPredicate = (apdu) => apdu[1] === 0x87 && apdu[3] !== 0x9b;

export async function startPivEnvironment(options: PivEnvironmentOptions = {}): Promise<PivEnvironment> {
  const pin = options.pin ?? TEST_PIN;
  const puk = options.puk ?? TEST_PUK;
  const managementKey = options.managementKey ?? TEST_MANAGEMENT_KEY;
  const firmware = options.firmware ?? ([5, 4, 3] as const);
  const attestation = await AttestationAuthority.create({ firmware });
  const card = new PivCard({ pin, puk, managementKey, serial: options.serial ?? 12345678, firmware, attestation });
  const port = await freePortPair();
  const pcscd = await startPrivatePcscd({ vpcdPort: port });
  const connection = new VpcdCardConnection(card, port);
  try {
    await connection.insert();
  } catch (error) {
    const log = pcscd.output();
    await connection.close();
    await pcscd.stop();
    throw new Error(`${(error as Error).message}\npcscd output:\n${log}`);
  }
  return {
    card,
    connection,
    pcscd,
    modulePath: YKCS11_MODULE,
    env: { ...process.env, PCSCLITE_CSOCK_NAME: pcscd.socketPath },
    pin,
    puk,
    managementKey,
    attestationRootDer: attestation.rootDer,
    removeCard: () => connection.remove(),
    insertCard: () => connection.insert(),
    removeCardOnApdu: (predicate) => connection.removeOnApdu(predicate),
    stop: async () => {
      await connection.close();
      await pcscd.stop();
    },
  };
}
