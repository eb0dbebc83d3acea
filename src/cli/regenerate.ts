// create-go-docker regenerate [dir]: re-render every managed file from .go-docker.yaml and the
// policy, keeping custom blocks; --check and --diff only show; --recursive walks a monorepo.
import { dirname, join, relative, resolve } from 'node:path';
import { SKIPPED_DIRS } from '../detect/project.js';
import { RuntimeError, UsageError } from '../errors.js';
import { entryKind } from '../io/read.js';
import { walkTree, type WalkUnreadable } from '../io/walk.js';
import { CONFIG_FILE_NAME, loadConfig, projectRepository, recordedProjectDir } from '../options/files.js';
import { acquireLock } from '../write/lock.js';
import { unifiedDiff } from '../write/diff.js';
import type { Plan } from '../plan/plan.js';
import { MANAGED_PATHS } from '../plan/paths.js';
import { commitWrites, isRefused, type FilePlan } from '../write/write.js';
import type { RegenerateArgs } from './flags.js';
import type { CliIo } from './main.js';
import { isDockerDesktop } from './docker.js';
import { outputTo, printLines, printText } from './output.js';
import { checkWritten, renderProject } from './pipeline.js';
import { recursiveLine, regenerateLines } from './report.js';
import { toolVersion } from './version.js';

/** Where a project stands after regenerate: what the one summary line per project says. */
interface RegenerateOutcome {
  status: 'ok' | 'drift' | 'refused';
  plan: Plan;
  writes: FilePlan[];
  notes: string[];
  policyNotes: string[];
}

async function regenerateOne(configDir: string, args: RegenerateArgs, io: CliIo): Promise<RegenerateOutcome> {
  const configPath = join(configDir, CONFIG_FILE_NAME);
  const shown = relative(io.cwd, configDir) || '.';
  if (entryKind(configPath) === 'missing') {
    throw new RuntimeError(`${shown}: no ${CONFIG_FILE_NAME} here; run create-go-docker there first, or give the directory that holds it.`);
  }
  const showOnly = args.check || args.diff;
  const lock = showOnly ? undefined : acquireLock(configDir);
  try {
    const config = loadConfig(configPath);
    const projectDir = config?.projectEntry ? recordedProjectDir(configPath, config.projectEntry, projectRepository(configDir)) : configDir;
    const result = await renderProject(
      {
        projectDir,
        dirInput: relative(io.cwd, projectDir) || '.',
        outDir: configDir,
        config,
        flagOptions: {},
        ...(args.policy ? { policyFlag: resolve(io.cwd, args.policy) } : {}),
        ask: false,
        force: args.force,
      },
      io,
    );
    const notes = [...(lock?.recovered ?? []), ...result.plan.notes];
    const outcome = { plan: result.plan, writes: result.writes, notes, policyNotes: result.notes };
    const changed = result.writes.filter((write) => write.action !== 'unchanged');
    const label = (path: string) => (shown === '.' ? path : `${shown}/${path}`);
    if (showOnly) {
      // One direction everywhere: what is on disk (-) to what regenerate writes (+).
      for (const write of changed) printText(io.stdout, unifiedDiff(write.current ?? '', write.content, `${label(write.path)} (current)`, `${label(write.path)} (regenerated)`));
      return { ...outcome, status: args.check && changed.length > 0 ? 'drift' : 'ok' };
    }
    const refused = changed.filter(isRefused);
    if (refused.length > 0) {
      for (const write of refused) {
        const fix = write.action === 'blocked' ? 'fix them and rerun; --force does not replace such a file' : 'move your lines into a custom block, or rerun with --force';
        printLines(io.stderr, [`create-go-docker: ${label(write.path)}: ${write.problem}; not overwritten (${fix}).`]);
        if (write.action === 'edited') printText(io.stdout, unifiedDiff(write.current ?? '', write.content, `${label(write.path)} (current)`, `${label(write.path)} (regenerated)`));
      }
      return { ...outcome, status: 'refused' };
    }
    commitWrites(configDir, result.writes, lock);
    await checkWritten(result);
    return { ...outcome, status: 'ok' };
  } finally {
    lock?.release();
  }
}

/**
 * Every directory below root with an entry named .go-docker.yaml, in path order, whatever that
 * entry is: a link, a pipe or a directory there is a project regenerate cannot read, and the
 * drift gate must report it rather than pass without it. Links to directories are not
 * followed; directories that cannot be listed are returned too, for the same reason.
 */
function findConfigDirs(root: string): { configDirs: string[]; unreadable: WalkUnreadable[] } {
  const configDirs: string[] = [];
  const unreadable: WalkUnreadable[] = [];
  for (const entry of walkTree(root, { descend: (dir) => !dir.name.startsWith('.') && !SKIPPED_DIRS.has(dir.name) })) {
    if (entry.kind === 'unreadable') unreadable.push(entry);
    else if (entry.kind !== 'capped' && entry.name === CONFIG_FILE_NAME) configDirs.push(dirname(entry.path));
  }
  return { configDirs, unreadable };
}

/** The nearest directory at or above dir holding a .go-docker.yaml (run from a sub-directory, as git does), else dir. */
function configDirAbove(dir: string): string {
  for (let current = dir; current !== dirname(current); current = dirname(current)) {
    if (entryKind(join(current, CONFIG_FILE_NAME)) !== 'missing') return current;
    if (entryKind(join(current, '.git')) !== 'missing') break;
  }
  return dir;
}

export async function regenerate(args: RegenerateArgs, io: CliIo): Promise<number> {
  const start = resolve(io.cwd, args.dir ?? '.');
  const root = args.recursive ? start : configDirAbove(start);
  if (!args.recursive) {
    const outcome = await regenerateOne(root, args, io);
    if (!args.check && !args.diff) {
      const desktop = outcome.writes.some((write) => write.path === MANAGED_PATHS.daemonJson && write.action !== 'unchanged') && outcome.plan.daemonKeys.length > 0 ? await isDockerDesktop(io) : false;
      const report = { version: toolVersion(), shownDir: relative(io.cwd, root) || '.', plan: outcome.plan, writes: outcome.writes, notes: outcome.notes, policyNotes: outcome.policyNotes, desktop };
      outputTo(io.stdout, io.colors).lines(regenerateLines(report));
    } else if (args.check) {
      printLines(io.stdout, [checkLine(outcome.writes)]);
    }
    return outcome.status === 'ok' ? 0 : 1;
  }
  const { configDirs, unreadable } = findConfigDirs(root);
  const rootError = unreadable.find((directory) => directory.relativePath === '');
  if (rootError) throw new RuntimeError(`${args.dir ?? '.'}: cannot list it (${rootError.code}); give the directory that holds your projects.`);
  if (configDirs.length === 0 && unreadable.length === 0) throw new RuntimeError(`${args.dir ?? '.'}: no ${CONFIG_FILE_NAME} below it; run create-go-docker in each project first.`);
  let failures = 0;
  for (const directory of unreadable) {
    failures++;
    printLines(io.stdout, [`${'failed'.padEnd(8)} ${relative(io.cwd, directory.path) || '.'}: cannot list this directory (${directory.code}), so a project in it would go unchecked; make it readable.`]);
  }
  for (const configDir of configDirs) {
    const name = relative(io.cwd, configDir) || '.';
    try {
      const outcome = await regenerateOne(configDir, args, io);
      if (outcome.status !== 'ok') failures++;
      printLines(io.stdout, [recursiveLine(name, outcome.status, outcome.writes, args.check || args.diff)]);
    } catch (error) {
      if (!(error instanceof UsageError || error instanceof RuntimeError)) throw error;
      failures++;
      printLines(io.stdout, [`${'failed'.padEnd(8)} ${name}: ${error.message}`]);
    }
  }
  const unlisted = unreadable.length > 0 ? `, ${unreadable.length} director${unreadable.length > 1 ? 'ies' : 'y'} unreadable` : '';
  printLines(io.stdout, [`${configDirs.length} project${configDirs.length === 1 ? '' : 's'}${unlisted}, ${failures} not ok.`]);
  return failures > 0 ? 1 : 0;
}

/** What --check says: up to date, drift regenerate fixes, or hand edits regenerate would refuse. */
function checkLine(writes: readonly FilePlan[]): string {
  const drifted = writes.filter((write) => write.action !== 'unchanged');
  if (drifted.length === 0) return 'ok: every managed file is up to date.';
  const refused = drifted.filter(isRefused);
  if (refused.length > 0) {
    const forceable = refused.some((write) => write.action !== 'blocked');
    return `drift: ${refused.map((write) => `${write.path} ${write.action === 'edited' ? 'was edited by hand' : write.action === 'blocked' ? 'has custom blocks that cannot be read' : 'was not written by create-go-docker'}`).join(', ')}; regenerate refuses to overwrite ${refused.length > 1 ? 'them' : 'it'}: ${forceable ? 'move the edits into a custom block (regenerate --diff shows them), or run create-go-docker regenerate --force to replace them' : 'fix the custom:begin/custom:end lines first'}.`;
  }
  return `drift: ${drifted.map((write) => write.path).join(', ')} differ from what .go-docker.yaml and the policy produce; run create-go-docker regenerate.`;
}
