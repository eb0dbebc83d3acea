// External programs a main runs (issue 21, class 9): exec.Command("git", ...), exec.CommandContext(ctx,
// "ffmpeg", ...), exec.LookPath("docker"), a shell's -c command. Literal names only, in the main's
// own-module closure; each found keeps its file:line. plan/programs.ts decides what the runtime
// image needs for them (scratch and distroless have no git, no sh, no ffmpeg). Pure.
import type { SourceText } from './ports.js';
import { argumentsAt, splitArguments } from './source.js';

export interface ProgramUse {
  /** The program's name, as a runtime image's PATH finds it: "git", "sh" (a path's last element: /bin/sh -> sh). */
  program: string;
  /** file:line of the call. */
  where: string;
  /** The recognizer that found it. */
  how: string;
}

/** One idiom that runs an external program, by name: each has unit tests with a Go fixture of its shape. */
export interface ProgramRecognizer {
  name: string;
  shape: string;
  /** The literal names it finds in a file's code (comments blanked), with their offsets. */
  find(code: string): { program: string; index: number }[];
}

/** A context argument: ctx, context.Background(), r.Context(). */
const CONTEXT_ARGUMENT = String.raw`[\w.]+(?:\([^()\n]*\))?`;

function literalCalls(pattern: RegExp): (code: string) => { program: string; index: number }[] {
  return (code) => [...code.matchAll(pattern)].map((match) => ({ program: match[1]!, index: match.index }));
}

/**
 * Functions of this file that run the program one of their parameters names (`name` or `command[0]`
 * of a variadic `command ...string`), and the literal program of each call to them in this file.
 */
function wrapperCalls(code: string): { program: string; index: number }[] {
  const found: { program: string; index: number }[] = [];
  for (const declared of code.matchAll(/^func\s+(\w+)\s*\(([^)]*)\)[^{\n]*\{/gm)) {
    const [, name, parameterList] = declared;
    const body = code.slice(declared.index + declared[0].length, code.indexOf('\n}', declared.index));
    const parameters = parameterList!.split(',').map((parameter) => parameter.trim().split(/\s+/)[0]!);
    const run = new RegExp(String.raw`\bexec\.Command(?:Context\(\s*[\w.()]+\s*,|\()\s*(\w+)(\[0\])?\s*[,)]`).exec(body);
    const position = run ? parameters.indexOf(run[1]!) : -1;
    if (position < 0) continue;
    for (const call of code.matchAll(new RegExp(String.raw`\b${name!}\(`, 'g'))) {
      if (call.index === declared.index + declared[0].indexOf(name!)) continue;
      const open = call.index + call[0].length - 1;
      const argument = splitArguments(argumentsAt(code, open))[position];
      const literal = argument === undefined ? undefined : /^"([^"\n]+)"$/.exec(argument.trim())?.[1];
      if (literal !== undefined) found.push({ program: literal, index: call.index });
    }
  }
  return found;
}

export const PROGRAM_RECOGNIZERS: readonly ProgramRecognizer[] = [
  {
    name: 'exec.Command',
    shape: 'exec.Command("git", "clone", url)',
    find: literalCalls(/\bexec\.Command\(\s*"([^"\n]+)"/g),
  },
  {
    name: 'exec.CommandContext',
    shape: 'exec.CommandContext(ctx, "ffmpeg", "-i", in, out)',
    find: literalCalls(new RegExp(String.raw`\bexec\.CommandContext\(\s*${CONTEXT_ARGUMENT}\s*,\s*"([^"\n]+)"`, 'g')),
  },
  {
    name: 'exec.LookPath',
    shape: 'exec.LookPath("docker")',
    find: literalCalls(/\bexec\.LookPath\(\s*"([^"\n]+)"/g),
  },
  {
    name: 'shell -c command',
    shape: 'exec.Command("sh", "-c", "git pull && make"): the shell, and the first program of its command',
    find: literalCalls(/"(?:\/bin\/|\/usr\/bin\/)?(?:ba)?sh"\s*,\s*"-c"\s*,\s*"\s*(?:exec\s+)?([A-Za-z][\w.+-]*)/g),
  },
  {
    name: 'wrapper call',
    shape:
      'func goJSON(dst any, command ...string) error { exec.Command(command[0], command[1:]...) } called as ' +
      'goJSON(&env, "go", "env"); func run(name string, args ...string) { exec.Command(name, args...) } called as run("git", ...)',
    find: wrapperCalls,
  },
  {
    name: 'process start',
    shape: 'syscall.Exec("/usr/bin/git", args, env), os.StartProcess("/bin/sh", argv, attr)',
    find: literalCalls(/\b(?:syscall\.Exec|os\.StartProcess)\(\s*"([^"\n]+)"/g),
  },
];

/**
 * Programs a Linux server image never runs: Windows' and macOS's own, and the desktop's "open a
 * browser" commands. A call to one sits in a branch for that system (`if runtime.GOOS ==
 * "windows"`) or for a desktop user, so it is not a program the image needs.
 */
export const OTHER_SYSTEM_PROGRAMS: Readonly<Record<string, string>> = {
  tasklist: 'Windows',
  taskkill: 'Windows',
  cmd: 'Windows',
  'cmd.exe': 'Windows',
  'powershell.exe': 'Windows',
  powershell: 'Windows',
  netsh: 'Windows',
  wmic: 'Windows',
  reg: 'Windows',
  rundll32: 'Windows (opens a browser)',
  open: 'macOS (opens a file or a browser)',
  launchctl: 'macOS',
  osascript: 'macOS',
  sw_vers: 'macOS',
  pbcopy: 'macOS',
  pbpaste: 'macOS',
  'xdg-open': 'a desktop (opens a browser)',
};

/** A name a runtime image's PATH would find: a path's last element, letters, digits and . _ + - only. */
function programName(literal: string): string | undefined {
  const name = literal.trim().split('/').pop()!;
  return /^[A-Za-z0-9][\w.+-]{0,63}$/.test(name) ? name : undefined;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The programs these sources run, one use per program (its first call), in the order found. */
export function findPrograms(sources: readonly SourceText[]): ProgramUse[] {
  const uses = new Map<string, ProgramUse>();
  for (const source of sources) {
    const code = source.code ?? source.text;
    for (const recognizer of PROGRAM_RECOGNIZERS) {
      for (const found of recognizer.find(code)) {
        const program = programName(found.program);
        if (program !== undefined && !uses.has(program) && OTHER_SYSTEM_PROGRAMS[program] === undefined)
          uses.set(program, { program, where: `${source.path}:${lineOf(code, found.index)}`, how: recognizer.name });
      }
    }
  }
  return [...uses.values()];
}
