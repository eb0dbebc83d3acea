// What generate does once its checks passed and docker was asked (generate.ts): render the
// files, write them (or show them with --dry-run) and print the summary. Also the wizard's
// question about files that are in the way, asked before generate's checks.
import { join, relative, resolve } from 'node:path';
import { RuntimeError } from '../errors.js';
import { posixRelative } from '../io/paths.js';
import { readAnswers } from '../options/answers.js';
import type { PartialOptions } from '../options/model.js';
import { parsePath } from '../options/validate.js';
import { ANSWERS_FILE, ignoreFileFor } from '../plan/paths.js';
import { shown } from '../values/text.js';
import { conflictPaths, decide, REFUSED_BRIEFLY, refusalLine } from '../write/conflicts.js';
import type { Lock } from '../write/lock.js';
import { commitWrites, findConflicts } from '../write/write.js';
import type { ParsedArgs } from './flags.js';
import type { CliIo } from './main.js';
import { adviseBuildCommand, isDockerDesktop, type DockerEnvironment } from './docker.js';
import { outputTo, printJson } from './output.js';
import { checkWritten, promptsFor, renderProject } from './pipeline.js';
import { generateJson, generateLines, NO_TERMINAL_NOTE } from './report.js';

/**
 * Files in the way that the run asks about (write/conflicts.ts decides which) are found before
 * the first question, and the wizard asks what to do: keep them and stop (said here), back them
 * up and write ours, or write ours elsewhere.
 */
export async function settleConflicts(
  io: CliIo,
  where: { outDir: string; projectDir: string; force: boolean },
): Promise<{ outDir: string; force: boolean } | 'stop'> {
  const run = { command: 'generate', force: where.force, ask: true } as const;
  for (let target = where.outDir; ;) {
    const answers = await readAnswers(join(target, ANSWERS_FILE));
    const paths = conflictPaths(ignoreFileFor(target, where.projectDir));
    const conflicts = findConflicts(target, paths, answers?.files ?? {}).filter((conflict) => decide(conflict.refusal.name, run) === 'ask');
    if (conflicts.length === 0) return { outDir: target, force: where.force };
    const prompts = await promptsFor(io);
    const names = conflicts.map((conflict) => `${conflict.path} (${REFUSED_BRIEFLY[conflict.refusal.action]})`).join(', ');
    const choice = await prompts.select({
      message: `${names} already ${conflicts.length > 1 ? 'exist' : 'exists'} in ${relative(io.cwd, target) || '.'}. What now?`,
      default: 'backup',
      choices: [
        { name: `Back ${conflicts.length > 1 ? 'them' : 'it'} up (${conflicts[0]!.path}.orig) and write ours`, value: 'backup' },
        { name: 'Write ours to another directory (--out)', value: 'out' },
        { name: 'Keep everything and stop (nothing is written)', value: 'stop' },
      ],
    });
    if (choice === 'stop') {
      outputTo(io.stdout, io.colors, io.columns).lines([
        'Nothing was written; your files are as they were. To write ours beside them: create-go-docker --out DIR.',
      ]);
      return 'stop';
    }
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
      command: 'generate',
      outDir,
      answers: await readAnswers(join(outDir, ANSWERS_FILE)),
      flagOptions,
      ...(args.policy ? { policyFlag: args.policy } : {}),
      ask,
      force,
      ...(moduleRoot ? { noGoModIn: relative(io.cwd, startDir) || 'this directory' } : {}),
      // Without a terminal nothing can be asked: the run takes what --yes takes, and says so once.
      ...(!io.interactive && !args.yes ? { planNotes: [NO_TERMINAL_NOTE] } : {}),
    },
    io,
  );
  for (const write of result.writes) if (write.refusal) throw new RuntimeError(refusalLine(shown(join(outDir, write.path)), write.refusal));
  if (!args.dryRun) {
    commitWrites(outDir, result.writes, lock);
    await checkWritten(result);
  }
  const env = io.env ?? process.env;
  const engine = await docker;
  const advice = io.probeDocker ? adviseBuildCommand(engine, env, result.plan.platforms.length > 1) : undefined;
  const desktop = await isDockerDesktop({}, engine);
  // Files are listed as the user reaches them from here (--out elsewhere included).
  const outPrefix = posixRelative(io.cwd, outDir);
  const outcome = {
    dryRun: args.dryRun,
    ...result,
    recovered: lock?.recovered ?? [],
    outPrefix,
    desktop,
    ...(engine?.machineDaemonJson ? { machineDaemonJson: engine.machineDaemonJson } : {}),
    ...(advice ? { advice } : {}),
  };
  if (args.json) printJson(io.stdout, generateJson(outcome));
  else outputTo(io.stdout, io.colors, io.columns).lines(generateLines(outcome));
  return 0;
}
