import { runCli } from './cli';

// `keyrite inspect ... | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// Entry of bin/keyrite.cjs (bundled to dist/cli/index.cjs) and of `npx tsx electron/cli/index.ts`.
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
