// create-go-docker [dir]: detect, ask (on a terminal), write the files, print what to run next.
import { statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { RuntimeError, UsageError } from '../errors.js';
import { moduleRootAbove } from '../detect/filesystem.js';
import { posixRelative } from '../io/paths.js';
import { entryKind } from '../io/read.js';
import { CONFIG_FILE_NAME, foreignRepository, loadConfig } from '../options/files.js';
import type { PartialOptions } from '../options/model.js';
import { parsePath } from '../options/validate.js';
import { MANAGED_PATHS } from '../plan/paths.js';
import { quoted } from '../values/text.js';
import { acquireLock, type Lock } from '../write/lock.js';
import { commitWrites, findConflicts, isRefused } from '../write/write.js';
import type { ParsedArgs } from './flags.js';
import type { CliIo } from './main.js';
import { adviseBuildCommand, isDockerDesktop } from './docker.js';
import { outputTo, printJson } from './output.js';
import { checkWritten, promptsFor, renderProject } from './pipeline.js';
import { generateJson, generateLines } from './report.js';

/** The one line a run without a terminal (and without --yes) prints: it answered nothing. */
export const NO_TERMINAL_NOTE = 'no terminal, so nothing was asked: these files use the detected values and defaults, as --yes does (pass --yes to say so and drop this line, or give any answer as a flag: create-go-docker --help lists them).';

// Every managed file but .gitlab-ci.yml: a project's own goes untouched (ours is then included).
const CONFLICT_PATHS = Object.values(MANAGED_PATHS).filter((path) => path !== MANAGED_PATHS.gitlabCi);

/**
 * Files the run would refuse to replace are found before the first question, and the wizard
 * asks what to do: keep them and stop, back them up and write ours, or write ours elsewhere.
 */
async function settleConflicts(io: CliIo, outDir: string, ignoreFileName: string): Promise<{ outDir: string; force: boolean } | 'stop'> {
  for (let target = outDir; ; ) {
    const config = loadConfig(join(target, CONFIG_FILE_NAME));
    const conflicts = findConflicts(target, [ignoreFileName, ...CONFLICT_PATHS], config?.files ?? {}).filter((conflict) => conflict.action !== 'blocked');
    if (conflicts.length === 0) return { outDir: target, force: false };
    const prompts = await promptsFor(io);
    const names = conflicts.map((conflict) => `${conflict.path} (${conflict.action === 'foreign' ? 'not written by create-go-docker' : 'edited by hand'})`).join(', ');
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
    const answer = await prompts.input({ message: 'Directory for the Docker files (docker build -f DIR/Dockerfile):', default: 'docker-setup', validate: (value) => (value.trim() === '' ? 'give a directory' : true) });
    target = resolve(io.cwd, parsePath('--out', answer.trim()));
  }
}

export async function generate(args: ParsedArgs, io: CliIo): Promise<number> {
  // From a sub-directory, the module is found upward, as the go command finds it; the files
  // belong at its root (the build context), so they go there too.
  const startDir = resolve(io.cwd, args.dir ?? '.');
  const moduleRoot = moduleRootAbove(startDir);
  const projectDir = moduleRoot ?? startDir;
  const dirInput = moduleRoot ? relative(io.cwd, moduleRoot) || '.' : (args.dir ?? '.');
  let outDir = resolve(io.cwd, args.out ?? projectDir);
  const ask = io.interactive && !args.yes;
  let force = args.force;
  if (ask && !force && !args.dryRun) {
    const settled = await settleConflicts(io, outDir, outDir === projectDir ? '.dockerignore' : 'Dockerfile.dockerignore');
    if (settled === 'stop') {
      outputTo(io.stdout, io.colors).lines(['Nothing was written; your files are as they were. To write ours beside them: create-go-docker --out DIR.']);
      return 0;
    }
    ({ outDir, force } = settled);
  }
  const flagOptions: PartialOptions = { ...args.flagOptions };
  if (flagOptions.caCert) flagOptions.caCert = resolve(io.cwd, flagOptions.caCert);
  const outKind = entryKind(outDir);
  if (outKind !== 'missing' && outKind !== 'dir' && !(outKind === 'link' && isDirectory(outDir))) {
    throw new UsageError(`--out ${quoted(args.out ?? outDir).slice(1, -1)}: is not a directory; choose another --out.`);
  }
  // One writer at a time; a directory that does not exist yet is locked when it is created.
  const foreign = outDir === projectDir ? undefined : foreignRepository(outDir, projectDir);
  if (foreign !== undefined) {
    throw new UsageError(`--out ${quoted(args.out ?? outDir).slice(1, -1)}: is in the git repository ${quoted(foreign).slice(1, -1)}, which does not hold the project (${quoted(projectDir).slice(1, -1)}), so no fresh clone could regenerate from it; write the files inside the project's repository (e.g. --out deploy), or run without --out.`);
  }
  const lock: Lock | undefined = !args.dryRun && outKind !== 'missing' ? acquireLock(outDir) : undefined;
  try {
    // Asked while the files render: how docker builds on this machine, for the printed command.
    const docker = io.probeDocker ? io.probeDocker().catch(() => undefined) : Promise.resolve(undefined);
    const result = await renderProject(
      {
        projectDir,
        dirInput,
        outDir,
        config: loadConfig(join(outDir, CONFIG_FILE_NAME)),
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
          ? 'see your edits with create-go-docker regenerate --diff, move them into a custom block, or rerun with --force to replace it (kept as ' + refused.path + '.orig)'
          : refused.action === 'blocked'
            ? 'then rerun (--force does not replace such a file)'
            : `move it away, write ours elsewhere with --out DIR, or rerun with --force to replace it (kept as ${refused.path}.orig)`;
      throw new RuntimeError(`${quoted(join(outDir, refused.path)).slice(1, -1)}: ${refused.problem}; ${fix}.`);
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
    if (moduleRoot) result.plan.notes.unshift(`no go.mod in ${relative(io.cwd, startDir) || 'this directory'}: using the module ${result.project.module.path} at ${dirInput}, as the go command does; the files are written there.`);
    const outcome = { dryRun: args.dryRun, ...result, recovered: lock?.recovered ?? [], outPrefix, desktop, ...(advice ? { advice } : {}) };
    if (args.json) printJson(io.stdout, generateJson(outcome));
    else outputTo(io.stdout, io.colors).lines(generateLines(outcome));
    return 0;
  } finally {
    lock?.release();
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
