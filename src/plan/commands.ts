// The commands we print (in the Dockerfile header and the summary): docker build with the flags
// the chosen options need. Every word that is not ours is shell-quoted; a path with a control
// character cannot be printed on one line and is refused.
import { relative } from 'node:path';
import { RuntimeError } from '../errors.js';
import { posixRelative } from '../io/paths.js';
import { hasControlCharacter, quoted } from '../values/text.js';

/** A word as a POSIX shell reads it literally. */
export function shellWord(word: string): string {
  if (hasControlCharacter(word)) {
    throw new RuntimeError(`${quoted(word)}: has a control character or line break, so no command line can name it; rename it.`);
  }
  if (/^[A-Za-z0-9._/:@%+=,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Docker's predefined proxy ARGs: used by RUN steps, kept out of docker history. */
export function proxyBuildArgs(proxy: string | undefined, noProxy: string | undefined): { name: string; value: string }[] {
  if (!proxy || !noProxy) return [];
  return [
    { name: 'HTTP_PROXY', value: proxy },
    { name: 'HTTPS_PROXY', value: proxy },
    { name: 'NO_PROXY', value: noProxy },
  ];
}

export interface CommandInput {
  /** Where the command runs from. */
  cwd: string;
  projectDir: string;
  outDir: string;
  platforms: readonly string[];
  /** Flags of our own making (secrets, ssh, proxy build args), already safe. */
  buildFlags: readonly string[];
  defaultTag: string;
  targets: readonly { stageName: string; tag: string }[];
}

export function buildCommands(input: CommandInput): { buildCommand: string; targetBuildCommands: string[] } {
  const contextArg = shellWord(posixRelative(input.cwd, input.projectDir) || '.');
  const dockerfileArg =
    relative(input.projectDir, input.outDir) === ''
      ? ''
      : ` -f ${shellWord(`${posixRelative(input.cwd, input.outDir) || '.'}/Dockerfile`)}`;
  const command = input.platforms.length > 0 ? `docker buildx build --platform ${input.platforms.join(',')}` : 'docker build';
  const flagText = input.buildFlags.length > 0 ? ` ${input.buildFlags.join(' ')}` : '';
  return {
    buildCommand: `${command}${flagText} -t ${input.defaultTag}${dockerfileArg} ${contextArg}`,
    targetBuildCommands: input.targets.map(
      (target) => `${command}${flagText} --target ${target.stageName} -t ${target.tag}${dockerfileArg} ${contextArg}`,
    ),
  };
}
