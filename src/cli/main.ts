// The command line: dispatch to a command and map errors to exit codes. I/O lives in the
// commands (generate.ts, regenerate.ts, doctor.ts) and in detect/ and write/; the steps between
// are pure. Every message printed goes through safeLine: secrets masked, controls escaped.
import { RuntimeError, UsageError } from '../errors.js';
import { safeLine } from '../values/text.js';
import type { PromptApi } from '../wizard/wizard.js';
import type { DockerEnvironment } from './docker.js';
import { doctorHelpText, helpText, parseCommandLine, parseDoctorLine, parseRegenerateLine, regenerateHelpText } from './flags.js';
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
  /** How long a policy URL may take to answer (POLICY_TIMEOUT_MS when absent; tests shorten it). */
  policyTimeoutMs?: number;
  /** What this machine's docker can build, to print a command that works here; absent: not asked. */
  probeDocker?: () => Promise<DockerEnvironment | undefined>;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    if (argv[0] === 'regenerate') {
      const args = parseRegenerateLine(argv.slice(1));
      if (args.help) return help(io, regenerateHelpText(toolVersion()));
      const { regenerate } = await import('./regenerate.js');
      return await regenerate(args, io);
    }
    if (argv[0] === 'doctor') {
      const args = parseDoctorLine(argv.slice(1));
      if (args.help) return help(io, doctorHelpText(toolVersion()));
      const { doctor } = await import('./doctor.js');
      return await doctor(args, io);
    }
    const args = parseCommandLine(argv);
    if (args.help) return help(io, helpText(toolVersion()));
    if (args.version) return help(io, toolVersion());
    const { generate } = await import('./generate.js');
    return await generate(args, io);
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

function help(io: CliIo, text: string): number {
  io.stdout(`${text}\n`);
  return 0;
}
