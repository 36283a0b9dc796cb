/**
 * Token host entry point. Runs as its own process (child_process.fork in the CLI and tests,
 * Electron utilityProcess in the app) and is the only place that loads a PKCS#11 module. It talks
 * to the core only through validated `{ type, requestId, data }` messages and never logs payloads.
 */
import type { TokenHostResponse } from '../../shared/token/messages';
import { TokenHostServer } from './host-server';
import { Pkcs11Backend } from './pkcs11-backend';

/** Electron's utilityProcess channel (typed here: this zone does not import electron). */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

function send(message: TokenHostResponse): void {
  if (parentPort) parentPort.postMessage(message);
  // After the core went away there is nobody to answer; the disconnect handler exits.
  else if (process.send && process.connected) process.send(message);
}

const server = new TokenHostServer({ loadBackend: (modulePath) => Pkcs11Backend.load(modulePath), send });

if (parentPort) {
  // utilityProcess: main stops us with kill() after a `close` request.
  parentPort.on('message', (event) => server.receive(event.data));
} else {
  process.on('message', (raw: unknown) => server.receive(raw));
  process.on('disconnect', () => {
    server.shutdown().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
