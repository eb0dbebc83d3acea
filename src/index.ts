// Entry point of the bundled CLI.
import { main } from './cli/main.js';

// `create-go-docker ... | head` closes the pipe early: stop quietly, as other CLIs do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  process.exitCode = await main(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    // Prompt only on a terminal: a pipe, CI or `< /dev/null` never waits for input.
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });
} catch (error) {
  // A bug, not a user error: one line, and the stack only when asked for.
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  process.stderr.write(`create-go-docker: internal error: ${message}; nothing was written. Rerun with DEBUG=1 for details and report it.\n`);
  if (process.env.DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
  process.exitCode = 1;
}
