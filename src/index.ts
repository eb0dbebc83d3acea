// Entry point of the bundled CLI.
import { main } from './cli/main.js';
import { safeLine } from './values/text.js';
import { interruptWrites } from './write/lock.js';

// `create-go-docker ... | head` closes the pipe early: stop quietly, as other CLIs do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// Ctrl-C or a CI timeout: release the lock and stop, unless files are being renamed into place,
// in which case the rename finishes first (write/lock.ts), so no run is left half-written.
const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
for (const [signal, code] of Object.entries(SIGNAL_CODES) as [NodeJS.Signals, number][]) {
  process.on(signal, () => {
    if (!interruptWrites(signal)) return;
    process.stderr.write('\ncreate-go-docker: interrupted; no file was left half-written.\n');
    process.exit(code);
  });
}

try {
  process.exitCode = await main(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    // Prompt only on a terminal: a pipe, CI or `< /dev/null` never waits for input.
    interactive: isTerminal(process.stdin) && isTerminal(process.stdout),
    colors: isTerminal(process.stdout) && isTerminal(process.stderr) && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
    ...(isTerminal(process.stdout) && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    // From generate's chunk, which holds the probe (regenerate loads it too): no file of its own.
    probeDocker: async () => (await import('./cli/generate.js')).probeDocker(),
  });
} catch (error) {
  // A bug, not a user error: one line, and the stack only when asked for.
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  process.stderr.write(
    `create-go-docker: internal error: ${safeLine(message)}; nothing was written. Rerun with DEBUG=1 for details and report it.\n`,
  );
  if (process.env.DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
  process.exitCode = 1;
}

/** isTTY is undefined, not false, on a pipe, though Node's types say boolean. */
function isTerminal(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true;
}
