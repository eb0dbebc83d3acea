// The command line: dispatch to a command and map errors to exit codes. I/O lives in the
// commands (generate.ts, regenerate.ts, doctor.ts) and in detect/ and write/; the steps between
// are pure. Every message printed goes through safeLine: secrets masked, controls escaped.
// With --json, a run that fails still prints one JSON document on stdout (the error with its
// code and exit code) besides its one line on stderr, so a script reading stdout never gets
// an empty string.
import { entryKind } from '../io/read.js';
import { resolve } from 'node:path';
import { NotApplicableError, RuntimeError, UsageError } from '../errors.js';
import { safeLine } from '../values/text.js';
import type { PromptApi } from '../wizard/wizard.js';
import type { DockerEnvironment } from './docker.js';
import {
  commandNamed,
  commandSpec,
  parseInvocation,
  UnknownCommandError,
  type ArgsOf,
  type CommandName,
  type Invocation,
} from './flags.js';
import { printJson } from './output.js';
import { jsonDocument, type ErrorCode } from './report.js';
import { toolVersion } from './version.js';

export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdin and stdout are a terminal: the wizard may run. */
  interactive: boolean;
  /** stdout is a colour terminal (and NO_COLOR is unset): warnings may be coloured. */
  colors?: boolean;
  /** stdout is a terminal this wide: prose is wrapped at word boundaries (commands never). */
  columns?: number;
  /** Loads the prompt library; tests pass scripted answers. */
  loadPrompts?: () => Promise<PromptApi>;
  /** Environment variables (CREATE_GO_DOCKER_POLICY, HTTPS_PROXY for doctor); process.env when absent. */
  env?: Record<string, string | undefined>;
  /** How long a policy URL may take to answer (POLICY_TIMEOUT_MS when absent; tests shorten it). */
  policyTimeoutMs?: number;
  /** How long regenerate --refresh-pins waits for each registry (tests shorten it). */
  pinTimeoutMs?: number;
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
  const json = asksForJson(argv);
  // Known before parsing, so that a usage error's JSON names the command it was meant for.
  let command: CommandName | null = commandNamed(argv[0]) ?? 'generate';
  try {
    const invocation = parseInvocation(argv, (path) => exists(resolve(io.cwd, path)));
    return await run(invocation, io);
  } catch (error) {
    if (error instanceof UnknownCommandError) command = null;
    const failure = describeFailure(error);
    if (json)
      printJson(
        io.stdout,
        jsonDocument({
          command,
          version: toolVersion(),
          exitCode: failure.exitCode,
          error: { code: failure.code, message: failure.message },
        }),
      );
    // A bug: index.ts prints its line (and the stack with DEBUG=1).
    if (failure.code === 'internal') throw error;
    const line = `create-go-docker: ${failure.message}`;
    io.stderr(`${io.colors ? `\u001b[31m${line}\u001b[0m` : line}\n`);
    return failure.exitCode;
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

/** --json anywhere before "--": the parser may be what failed, so the words are read as given. */
function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** An error's code, exit code and one-line message (secrets masked), for stderr and JSON alike. */
function describeFailure(error: unknown): { code: ErrorCode; exitCode: number; message: string } {
  const message = (text: string) => safeLine(text.split('\n').join(' '));
  if (error instanceof UsageError) return { code: 'usage', exitCode: error.exitCode, message: message(error.message) };
  if (error instanceof NotApplicableError) return { code: 'not-applicable', exitCode: error.exitCode, message: message(error.message) };
  if (error instanceof RuntimeError) return { code: 'failed', exitCode: error.exitCode, message: message(error.message) };
  if (error instanceof Error && error.name === 'ExitPromptError')
    return { code: 'cancelled', exitCode: 130, message: 'cancelled; nothing was written.' };
  return {
    code: 'internal',
    exitCode: 1,
    message: `internal error: ${message(error instanceof Error ? error.message.split('\n')[0]! : String(error))}; nothing was written.`,
  };
}

/** Whether anything (a dangling link too) is at path. */
const exists = (path: string): boolean => entryKind(path) !== 'missing';

function help(io: CliIo, text: string): number {
  io.stdout(`${text}\n`);
  return 0;
}
