// create-go-docker regenerate [dir]: re-render every managed file from .go-docker.yaml and the
// policy, keeping custom blocks; --check and --diff only show; --recursive walks a monorepo and
// accounts for every Go module in it, managed or not, so a fleet report cannot pass by omission.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseGoWork } from '../detect/workspace.js';
import { SKIPPED_DIRS } from '../detect/project.js';
import { NotApplicableError, RuntimeError, UsageError } from '../errors.js';
import { entryKind, readInputFile } from '../io/read.js';
import { findUp } from '../io/paths.js';
import { walkTree } from '../io/walk.js';
import { loadAnswers, recordedProjectDir, type AnswersFile } from '../options/option-files.js';
import { projectRepository } from '../options/repository.js';
import { acquireLock } from '../write/lock.js';
import { unifiedDiff } from '../write/diff.js';
import type { Plan } from '../plan/plan.js';
import { ANSWERS_FILE, MANAGED_PATHS } from '../plan/paths.js';
import { isRefused, refusalLine, refusedSummary } from '../write/conflicts.js';
import { commitWrites, type FilePlan } from '../write/write.js';
import type { RegenerateArgs } from './flags.js';
import type { CliIo } from './main.js';
import { isDockerDesktop } from './docker.js';
import { outputTo, printJson, printLines, printText } from './output.js';
import { checkWritten, renderProject, type RenderResult } from './pipeline.js';
import type { PartialOptions } from '../options/model.js';
import { registryMirrorsOf } from '../options/regions.js';
import { parsePins } from '../options/validate.js';
import type { PinnedImage } from '../values/kinds.js';
import {
  fleetSummary,
  needsAttention,
  projectStatus,
  recursiveLine,
  regenerateJson,
  regenerateLines,
  regenerateSteps,
  summaryLine,
  summaryNotes,
  type FileResult,
  type JsonError,
  type ProjectResult,
  type RegenerateMode,
} from './report.js';
import { toolVersion } from './version.js';

/** A project after regenerate (or after --check, --diff: what regenerate would do). */
interface RegenerateOutcome {
  plan: Plan;
  writes: FilePlan[];
  /** What recovering an interrupted run did. */
  recovered: string[];
  policyNotes: string[];
  /** The policy is not the one that made the files: one line, which --check and --diff print too. */
  policyChange?: string;
}

/** A .go-docker.yaml read and checked: the answers, and the Go module they are for. */
interface AnswersAndProject {
  answers: AnswersFile | undefined;
  projectDir: string;
}

/** Reads dir's .go-docker.yaml and the project directory it records; throws what makes it unreadable. */
function readAnswersAndProject(answersDir: string): AnswersAndProject {
  const answersPath = join(answersDir, ANSWERS_FILE);
  const answers = loadAnswers(answersPath);
  const projectDir = answers?.projectEntry
    ? recordedProjectDir(answersPath, answers.projectEntry, projectRepository(answersDir))
    : answersDir;
  return { answers, projectDir };
}

/**
 * How far regenerateOne got, for --recursive to tell an unreadable .go-docker.yaml from a
 * project that failed later: the answers are read under the lock (recovering an interrupted
 * run may put a .go-docker.yaml back), so a failure to lock is no unreadable answers file.
 */
interface Progress {
  read?: AnswersAndProject;
  readingAnswers: boolean;
}

async function regenerateOne(
  answersDir: string,
  args: RegenerateArgs,
  io: CliIo,
  progress: Progress = { readingAnswers: false },
): Promise<RegenerateOutcome> {
  const showOnly = args.check || args.diff;
  const lock = showOnly ? undefined : acquireLock(answersDir);
  try {
    progress.readingAnswers = true;
    const read = readAnswersAndProject(answersDir);
    progress.readingAnswers = false;
    progress.read = read;
    const { answers, projectDir } = read;
    const render = (flagOptions: PartialOptions) =>
      renderProject(
        {
          command: 'regenerate',
          projectDir,
          dirInput: relative(io.cwd, projectDir) || '.',
          outDir: answersDir,
          answers,
          flagOptions,
          ...(args.policy ? { policyFlag: args.policy } : {}),
          ask: false,
          force: args.force,
        },
        io,
      );
    let result = await render({});
    // --refresh-pins: the images the files name now, resolved, then rendered with those pins.
    if (args.refreshPins) result = await render({ pins: await refreshedPins(result, io) });
    // All or nothing: a project with one refused file gets none written.
    if (!showOnly && !result.writes.some(isRefused)) {
      commitWrites(answersDir, result.writes, lock);
      await checkWritten(result);
    }
    return {
      plan: result.plan,
      writes: result.writes,
      recovered: lock?.recovered ?? [],
      policyNotes: result.policyNotes,
      ...(result.policyChange ? { policyChange: result.policyChange } : {}),
    };
  } finally {
    lock?.release();
  }
}

/** How long one registry may take to answer (a token and a manifest). */
const PIN_TIMEOUT_MS = 20_000;

/**
 * Every image the plan's files name, pinned to the digest its registry serves (Docker Hub ones
 * through the mirrors the options give), or one error naming each image that could not be had:
 * nothing is written then.
 */
async function refreshedPins(result: RenderResult, io: CliIo): Promise<PinnedImage[]> {
  const images = result.plan.pins?.images ?? [];
  const { resolveDigest, DigestError } = await import('../io/registry.js');
  const mirrors = registryMirrorsOf(result.written.options);
  const env = io.env ?? process.env;
  const resolved = await Promise.all(
    images.map(async (image) => {
      try {
        return { image, digest: await resolveDigest(image, { env, mirrors, timeoutMs: io.pinTimeoutMs ?? PIN_TIMEOUT_MS }) };
      } catch (error) {
        if (error instanceof DigestError) return { image, problem: error.message };
        throw error;
      }
    }),
  );
  const failed = resolved.flatMap((entry) => ('problem' in entry ? [`${entry.image} (${entry.problem})`] : []));
  if (failed.length > 0)
    throw new RuntimeError(
      `--refresh-pins: no digest for ${failed.join(', ')}; check the network or the mirror (docker pull the image), then rerun.`,
    );
  return parsePins(
    '--refresh-pins',
    resolved.flatMap((entry) => ('digest' in entry ? [`${entry.image}@${entry.digest}`] : [])),
  );
}

function modeOf(args: RegenerateArgs): RegenerateMode {
  return args.check ? 'check' : args.diff ? 'diff' : 'write';
}

/**
 * Each file's result; a diff for every change that is only shown (--check, --diff) and for a
 * hand edit regenerate refuses. One direction everywhere: what is on disk (-) to what
 * regenerate writes (+).
 */
function fileResults(writes: readonly FilePlan[], shownDir: string, mode: RegenerateMode): FileResult[] {
  const label = (path: string) => (shownDir === '.' ? path : `${shownDir}/${path}`);
  return writes.map((write) => {
    const diff = write.action !== 'unchanged' && (mode !== 'write' || write.action === 'edited');
    return {
      path: write.path,
      action: write.action,
      ...(write.refusal ? { problem: write.refusal.problem } : {}),
      ...(diff
        ? { diff: unifiedDiff(write.current ?? '', write.content, `${label(write.path)} (current)`, `${label(write.path)} (regenerated)`) }
        : {}),
    };
  });
}

/**
 * What regenerate prints as it goes: refusals on stderr (when it writes), and (not with --json)
 * diffs on stdout. files: fileResults(writes), one for each.
 */
function printProgress(
  io: CliIo,
  shownDir: string,
  writes: readonly FilePlan[],
  files: readonly FileResult[],
  mode: RegenerateMode,
  json: boolean,
): void {
  const label = (path: string) => (shownDir === '.' ? path : `${shownDir}/${path}`);
  writes.forEach((write, index) => {
    if (mode === 'write' && write.refusal) printLines(io.stderr, [`create-go-docker: ${refusalLine(label(write.path), write.refusal)}`]);
    const diff = files[index]?.diff;
    if (!json && diff) printText(io.stdout, diff);
  });
}

/**
 * Every directory below root that regenerate --recursive accounts for, in walk order: those
 * with an entry named .go-docker.yaml, whatever it is (a link, a pipe or a directory there is a
 * project regenerate cannot read, and the drift gate must report it rather than pass without
 * it), the Go module roots (go.mod, go.work), and the directories that cannot be listed.
 * Links to directories are not followed.
 */
interface Site {
  dir: string;
  answers: boolean;
  roots: ('go.mod' | 'go.work')[];
  /** readdir failed with this code. */
  unlisted?: string;
}

function findSites(root: string): Site[] {
  const sites = new Map<string, Site>();
  const site = (dir: string): Site => {
    let found = sites.get(dir);
    if (!found) sites.set(dir, (found = { dir, answers: false, roots: [] }));
    return found;
  };
  // Not below: hidden directories (.git, a GOPATH or module cache CI keeps in the checkout),
  // vendor/, testdata/ and node_modules/ (copies of other modules and fixtures, not projects of
  // this repository: the go command skips them too), and name@version directories (a module
  // cache elsewhere, e.g. GOPATH=$PWD/go: thousands of go.mod files that are not modules here).
  const descend = (dir: { name: string }) => !dir.name.startsWith('.') && !SKIPPED_DIRS.has(dir.name) && !dir.name.includes('@');
  for (const entry of walkTree(root, { descend })) {
    if (entry.kind === 'unreadable') site(entry.path).unlisted = entry.code;
    else if (entry.kind === 'capped') continue;
    else if (entry.name === ANSWERS_FILE) site(dirname(entry.path)).answers = true;
    else if ((entry.name === 'go.mod' || entry.name === 'go.work') && entry.kind !== 'dir')
      site(dirname(entry.path)).roots.push(entry.name);
  }
  return [...sites.values()];
}

/**
 * The Go modules a project's answers cover: its module, and when that is a go.work workspace,
 * every module the workspace uses (a module inside a managed workspace is managed by it).
 */
function modulesCovered(projectDir: string): string[] {
  const covered = [projectDir];
  let text: string;
  try {
    text = readInputFile(join(projectDir, 'go.work'), { maxBytes: 1024 * 1024, noFollow: true });
  } catch {
    return covered;
  }
  try {
    covered.push(...parseGoWork(text).uses.map((use) => resolve(projectDir, use.dir)));
  } catch {
    // A go.work that does not parse fails the project's own regenerate, which says so.
  }
  return covered;
}

/** The nearest directory at or above dir holding a .go-docker.yaml (run from a sub-directory, as git does), else dir. */
function answersDirAbove(dir: string): string {
  const answers = (current: string) => (entryKind(join(current, ANSWERS_FILE)) !== 'missing' ? current : undefined);
  return findUp(dir, answers, (current) => entryKind(join(current, '.git')) !== 'missing') ?? dir;
}

export async function regenerate(args: RegenerateArgs, io: CliIo): Promise<number> {
  const start = resolve(io.cwd, args.dir ?? '.');
  return args.recursive ? regenerateTree(start, args, io) : regenerateHere(answersDirAbove(start), args, io);
}

/** regenerate [dir]: one project, its files and diffs, or (--json) one document. */
async function regenerateHere(root: string, args: RegenerateArgs, io: CliIo): Promise<number> {
  const shownDir = relative(io.cwd, root) || '.';
  if (!existsSync(root)) throw new RuntimeError(`${args.dir ?? '.'}: no such directory; give the directory that holds .go-docker.yaml.`);
  if (entryKind(join(root, ANSWERS_FILE)) === 'missing') {
    throw new NotApplicableError(
      `${shownDir}: no ${ANSWERS_FILE} here; run create-go-docker there first, or give the directory that holds it.`,
    );
  }
  const mode = modeOf(args);
  const outcome = await regenerateOne(root, args, io);
  const status = projectStatus(outcome.writes, mode);
  const files = fileResults(outcome.writes, shownDir, mode);
  const exitCode = needsAttention(status, mode) ? 1 : 0;
  const engineStep =
    mode === 'write' &&
    outcome.writes.some(
      (write) =>
        write.action !== 'unchanged' &&
        ((write.path === MANAGED_PATHS.daemonJson && outcome.plan.daemonKeys.length > 0) || write.path === MANAGED_PATHS.engineProxy),
    );
  const engine = engineStep && io.probeDocker ? await io.probeDocker().catch(() => undefined) : undefined;
  const desktop = engineStep ? await isDockerDesktop({}, engine) : false;
  const report = {
    version: toolVersion(),
    shownDir,
    plan: outcome.plan,
    writes: outcome.writes,
    recovered: outcome.recovered,
    policyNotes: outcome.policyNotes,
    desktop,
    ...(engine?.machineDaemonJson ? { machineDaemonJson: engine.machineDaemonJson } : {}),
  };
  printProgress(io, shownDir, outcome.writes, files, mode, args.json);
  if (args.json) {
    const result: ProjectResult = {
      path: shownDir,
      status,
      kind: 'managed',
      files,
      notes: summaryNotes(outcome.recovered, outcome.plan),
      policyNotes: outcome.policyNotes,
      warnings: outcome.plan.warnings,
      ...(status === 'updated' || status === 'up-to-date' ? { nextSteps: mode === 'write' ? regenerateSteps(report) : [] } : {}),
    };
    const error: JsonError | undefined =
      exitCode === 0 ? undefined : { code: 'needs-attention', message: checkLine(outcome.writes, shownDir, mode) };
    printJson(io.stdout, regenerateJson({ version: toolVersion(), exitCode, ...(error ? { error } : {}) }, mode, false, [result], false));
    return exitCode;
  }
  if (mode !== 'write' && outcome.policyChange) printLines(io.stdout, [`policy: ${outcome.policyChange}`]);
  if (mode === 'write') outputTo(io.stdout, io.colors, io.columns).lines(regenerateLines(report));
  else if (mode === 'check') printLines(io.stdout, [checkLine(outcome.writes, shownDir)]);
  return exitCode;
}

/**
 * regenerate --recursive: one line per project as it goes (unreadable directories first, the
 * unmanaged modules last, once every project's answers said what they cover), then the counts.
 */
async function regenerateTree(root: string, args: RegenerateArgs, io: CliIo): Promise<number> {
  const mode = modeOf(args);
  const sites = findSites(root);
  const rootSite = sites.find((site) => site.dir === root && site.unlisted !== undefined);
  if (rootSite)
    throw new RuntimeError(`${args.dir ?? '.'}: cannot list it (${rootSite.unlisted}); give the directory that holds your projects.`);
  const shown = (dir: string) => relative(io.cwd, dir) || '.';
  const results: ProjectResult[] = [];
  const report = (result: ProjectResult, lines = true) => {
    results.push(result);
    if (!args.json && lines) printLines(io.stdout, [recursiveLine(result)]);
  };
  for (const site of sites) {
    if (site.unlisted === undefined) continue;
    report({
      path: shown(site.dir),
      status: 'unreadable',
      kind: 'unlisted',
      files: [],
      message: `cannot list this directory (${site.unlisted}), so a project in it would go unchecked; make it readable.`,
    });
  }
  const covered = new Set<string>();
  for (const site of sites.filter((candidate) => candidate.answers)) {
    const path = shown(site.dir);
    const progress: Progress = { readingAnswers: false };
    try {
      const outcome = await regenerateOne(site.dir, args, io, progress);
      const files = fileResults(outcome.writes, path, mode);
      printProgress(io, path, outcome.writes, files, mode, args.json);
      if (!args.json && mode !== 'write' && outcome.policyChange) printLines(io.stdout, [`policy: ${outcome.policyChange}`]);
      report({
        path,
        status: projectStatus(outcome.writes, mode),
        kind: 'managed',
        files,
        notes: summaryNotes(outcome.recovered, outcome.plan),
        policyNotes: outcome.policyNotes,
        warnings: outcome.plan.warnings,
      });
    } catch (error) {
      if (!(error instanceof UsageError || error instanceof RuntimeError)) throw error;
      report({ path, status: progress.readingAnswers ? 'unreadable' : 'failed', kind: 'managed', files: [], message: oneLine(error) });
    } finally {
      // What the answers cover is known once they are read, whatever happened next.
      for (const dir of progress.read ? modulesCovered(progress.read.projectDir) : []) covered.add(dir);
    }
  }
  for (const site of sites) {
    if (site.roots.length === 0 || site.answers || covered.has(site.dir)) continue;
    const path = shown(site.dir);
    const message = `${site.roots.join(' and ')} without ${ANSWERS_FILE}; run create-go-docker ${path} to manage it`;
    report({ path, status: 'unmanaged', kind: 'unmanaged', files: [], roots: site.roots, message }, args.includeUnmanaged);
  }
  const summary = fleetSummary(results);
  const attention = results.filter((result) => needsAttention(result.status, mode));
  // Nothing managed and nothing unreadable: nothing to regenerate here (exit 3), said on stderr.
  const notApplicable = summary.managed === 0 && summary.unlistedDirectories === 0;
  const error: JsonError | undefined =
    attention.length > 0
      ? {
          code: 'needs-attention',
          message:
            `${attention.length} of ${summary.managed} project${summary.managed === 1 ? '' : 's'} ` +
            `need${attention.length === 1 ? 's' : ''} attention: ` +
            `${attention.map((result) => `${result.path} (${result.status})`).join(', ')}.`,
        }
      : notApplicable
        ? {
            code: 'not-applicable',
            message:
              `${args.dir ?? '.'}: no ${ANSWERS_FILE} below it (${summary.unmanaged} Go module${summary.unmanaged === 1 ? '' : 's'}, ` +
              'none managed); run create-go-docker in each project first.',
          }
        : undefined;
  const exitCode = attention.length > 0 ? 1 : notApplicable ? 3 : 0;
  if (args.json)
    printJson(
      io.stdout,
      regenerateJson({ version: toolVersion(), exitCode, ...(error ? { error } : {}) }, mode, true, results, args.includeUnmanaged),
    );
  else printLines(io.stdout, [summaryLine(summary, results)]);
  if (notApplicable) printLines(io.stderr, [`create-go-docker: ${error!.message}`]);
  return exitCode;
}

function oneLine(error: Error): string {
  return error.message.split('\n').join(' ');
}

/**
 * What --check says (up to date, drift regenerate fixes, or hand edits regenerate would refuse),
 * and in JSON, why a run that writes stopped: the hand edits it refused.
 */
function checkLine(writes: readonly FilePlan[], shownDir: string, mode: RegenerateMode = 'check'): string {
  const drifted = writes.filter((write) => write.action !== 'unchanged');
  if (drifted.length === 0) return 'ok: every managed file is up to date.';
  if (drifted.some(isRefused))
    return mode === 'check'
      ? `drift: ${refusedSummary(drifted, shownDir, 'refuses')}.`
      : `${refusedSummary(drifted, shownDir, 'refused')}.`;
  return (
    `drift: ${drifted.map((write) => write.path).join(', ')} differ from what .go-docker.yaml and the policy ` +
    `produce; run create-go-docker regenerate.`
  );
}
