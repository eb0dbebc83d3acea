// What generate does once its checks passed and docker was asked (generate.ts): render the
// files, write them (or show them with --dry-run) and print the summary. Also the wizard's
// question about files that are in the way, asked before generate's checks.
import { join, relative, resolve } from 'node:path';
import { RuntimeError } from '../errors.js';
import { posixRelative } from '../io/paths.js';
import { CONFIG_FILE_NAME, readConfig } from '../options/answers.js';
import type { PartialOptions } from '../options/model.js';
import { parsePath } from '../options/validate.js';
import { MANAGED_PATHS } from '../plan/paths.js';
import { shown } from '../values/text.js';
import type { Lock } from '../write/lock.js';
import { commitWrites, findConflicts, isRefused } from '../write/write.js';
import type { ParsedArgs } from './flags.js';
import type { CliIo } from './main.js';
import { adviseBuildCommand, isDockerDesktop, type DockerEnvironment } from './docker.js';
import { outputTo, printJson } from './output.js';
import { checkWritten, promptsFor, renderProject } from './pipeline.js';
import { generateJson, generateLines, NO_TERMINAL_NOTE } from './report.js';

// Every managed file but .gitlab-ci.yml: a project's own goes untouched (ours is then included).
const CONFLICT_PATHS = Object.values(MANAGED_PATHS).filter((path) => path !== MANAGED_PATHS.gitlabCi);

/**
 * Files the run would refuse to replace are found before the first question, and the wizard
 * asks what to do: keep them and stop, back them up and write ours, or write ours elsewhere.
 */
export async function settleConflicts(
  io: CliIo,
  outDir: string,
  ignoreFileName: string,
): Promise<{ outDir: string; force: boolean } | 'stop'> {
  for (let target = outDir; ;) {
    const config = await readConfig(join(target, CONFIG_FILE_NAME));
    const conflicts = findConflicts(target, [ignoreFileName, ...CONFLICT_PATHS], config?.files ?? {}).filter(
      (conflict) => conflict.action !== 'blocked',
    );
    if (conflicts.length === 0) return { outDir: target, force: false };
    const prompts = await promptsFor(io);
    const names = conflicts
      .map((conflict) => `${conflict.path} (${conflict.action === 'foreign' ? 'not written by create-go-docker' : 'edited by hand'})`)
      .join(', ');
    const choice = await prompts.select({
      message: `${names} already ${conflicts.length > 1 ? 'exist' : 'exists'} in ${relative(io.cwd, target) || '.'}. What now?`,
      default: 'backup',
      choices: [
        { name: `Back ${conflicts.length > 1 ? 'them' : 'it'} up (${conflicts[0]!.path}.orig) and write ours`, value: 'backup' },
        { name: 'Write ours to another directory (--out)', value: 'out' },
        { name: 'Keep everything and stop (nothing is written)', value: 'stop' },
      ],
    });
    if (choice === 'stop') return 'stop';
    if (choice === 'backup') return { outDir: target, force: true };
    const answer = await prompts.input({
      message: 'Directory for the Docker files (docker build -f DIR/Dockerfile):',
      default: 'docker-setup',
      validate: (value) => (value.trim() === '' ? 'give a directory' : true),
    });
    target = resolve(io.cwd, parsePath('--out', answer.trim()));
  }
}

/** Where generate.ts decided the files go, and what it started. */
export interface GenerateTarget {
  startDir: string;
  /** The module found above startDir, when startDir has no go.mod. */
  moduleRoot: string | undefined;
  projectDir: string;
  dirInput: string;
  outDir: string;
  flagOptions: PartialOptions;
  ask: boolean;
  force: boolean;
  lock: Lock | undefined;
  /** What docker said, asked before this module loaded. */
  docker: Promise<DockerEnvironment | undefined>;
}

export async function renderAndWrite(args: ParsedArgs, io: CliIo, target: GenerateTarget): Promise<number> {
  const { startDir, moduleRoot, projectDir, dirInput, outDir, flagOptions, ask, force, lock, docker } = target;
  const result = await renderProject(
    {
      projectDir,
      dirInput,
      outDir,
      config: await readConfig(join(outDir, CONFIG_FILE_NAME)),
      flagOptions,
      ...(args.policy ? { policyFlag: args.policy } : {}),
      ask,
      force,
    },
    io,
  );
  const refused = result.writes.find(isRefused);
  if (refused) {
    const fix =
      refused.action === 'edited'
        ? 'see your edits with create-go-docker regenerate --diff, move them into a custom block, or rerun with --force to replace it (kept as ' +
          refused.path +
          '.orig)'
        : refused.action === 'blocked'
          ? 'then rerun (--force does not replace such a file)'
          : `move it away, write ours elsewhere with --out DIR, or rerun with --force to replace it (kept as ${refused.path}.orig)`;
    throw new RuntimeError(`${shown(join(outDir, refused.path))}: ${refused.problem}; ${fix}.`);
  }
  if (!args.dryRun) {
    commitWrites(outDir, result.writes, lock);
    await checkWritten(result);
  }
  const env = (io.env ?? process.env) as NodeJS.ProcessEnv;
  const engine = await docker;
  const advice = io.probeDocker ? adviseBuildCommand(engine, env, result.plan.platforms.length > 1) : undefined;
  const desktop = await isDockerDesktop({}, engine);
  // Files are listed as the user reaches them from here (--out elsewhere included).
  const outPrefix = posixRelative(io.cwd, outDir);
  // Without a terminal nothing can be asked: the run takes what --yes takes, and says so once.
  if (!io.interactive && !args.yes) result.plan.notes.unshift(NO_TERMINAL_NOTE);
  if (moduleRoot)
    result.plan.notes.unshift(
      `no go.mod in ${relative(io.cwd, startDir) || 'this directory'}: using the module ${result.project.module.path} at ${dirInput}, as the go command does; the files are written there.`,
    );
  const outcome = { dryRun: args.dryRun, ...result, recovered: lock?.recovered ?? [], outPrefix, desktop, ...(advice ? { advice } : {}) };
  if (args.json) printJson(io.stdout, generateJson(outcome));
  else outputTo(io.stdout, io.colors).lines(generateLines(outcome));
  return 0;
}
