// The command line: dispatch to a command and map errors to exit codes. I/O lives in the
// commands (generate.ts, regenerate.ts, doctor.ts) and in detect/ and write/; the steps between
// are pure. Every message printed goes through safeLine: secrets masked, controls escaped.
import { lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { RuntimeError, UsageError } from '../errors.js';
import { safeLine } from '../values/text.js';
import type { PromptApi } from '../wizard/wizard.js';
import type { DockerEnvironment } from './docker.js';
import { commandSpec, parseInvocation, type ArgsOf, type CommandName, type Invocation } from './flags.js';
import { toolVersion } from './version.js';

export { toolVersion };

export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdin and stdout are a terminal: the wizard may run. */
  interactive: boolean;
  /** stdout is a colour terminal (and NO_COLOR is unset): warnings may be coloured. */
  colors?: boolean;
  /** Loads the prompt library; tests pass scripted answers. */
  loadPrompts?: () => Promise<PromptApi>;
  /** Environment variables (CREATE_GO_DOCKER_POLICY, HTTPS_PROXY for doctor); process.env when absent. */
  env?: Record<string, string | undefined>;
  /** What this machine's docker can build, to print a command that works here; absent: not asked. */
  probeDocker?: () => Promise<DockerEnvironment | undefined>;
}

/** Each command's code, loaded only when it runs (generate and regenerate stay quick to start). */
const RUN: { [K in Exclude<CommandName, 'help'>]: (args: ArgsOf<K>, io: CliIo) => Promise<number> } = {
  generate: async (args, io) => (await import('./generate.js')).generate(args, io),
  regenerate: async (args, io) => (await import('./regenerate.js')).regenerate(args, io),
  doctor: async (args, io) => (await import('./doctor.js')).doctor(args, io),
};

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(parseInvocation(argv, (path) => exists(resolve(io.cwd, path))), io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof RuntimeError) {
      const line = `create-go-docker: ${safeLine(error.message.split('\n').join(' '))}`;
      io.stderr(`${io.colors ? `\u001b[31m${line}\u001b[0m` : line}\n`);
      return error.exitCode;
    }
    if (error instanceof Error && error.name === 'ExitPromptError') {
      io.stderr('create-go-docker: cancelled; nothing was written.\n');
      return 130;
    }
    throw error;
  }
}

async function run(invocation: Invocation, io: CliIo): Promise<number> {
  switch (invocation.command) {
    case 'help':
      return help(io, commandSpec(invocation.args.topic).help(toolVersion()));
    case 'generate':
      if (invocation.args.help) return help(io, commandSpec('generate').help(toolVersion()));
      if (invocation.args.version) return help(io, toolVersion());
      return RUN.generate(invocation.args, io);
    case 'regenerate':
      if (invocation.args.help) return help(io, commandSpec('regenerate').help(toolVersion()));
      return RUN.regenerate(invocation.args, io);
    case 'doctor':
      if (invocation.args.help) return help(io, commandSpec('doctor').help(toolVersion()));
      return RUN.doctor(invocation.args, io);
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function help(io: CliIo, text: string): number {
  io.stdout(`${text}\n`);
  return 0;
}
