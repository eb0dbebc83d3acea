// What the commands print, as pure functions from an outcome to lines. Every line that can hold
// a user's value goes through safeLine at the edge (main.ts), which masks secrets and escapes
// control characters.
import type { Project } from '../detect/project.js';
import type { Plan } from '../plan/plan.js';
import type { CommandAdvice } from './docker.js';
import type { CommandName } from './flags.js';
import { nextSteps, type StepContext } from './steps.js';
import { isRefused, refusedSummary } from '../write/conflicts.js';
import type { FileAction, FilePlan } from '../write/write.js';

/**
 * The --json output of every command shares one envelope (README, "JSON output"; the schema is
 * docs/json-output.schema.json, and a test checks every command's output against it). A
 * consumer reads schemaVersion first: it changes only when a field changes meaning or goes away.
 */
const JSON_SCHEMA_VERSION = 1;

/** Why a run did not end with exit 0, in JSON: its exit code alone does not say which (1 is both). */
export const ERROR_CODES = ['needs-attention', 'failed', 'usage', 'not-applicable', 'cancelled', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface JsonError {
  code: ErrorCode;
  /** The same words as the one line on stderr, without its "create-go-docker: " prefix. */
  message: string;
}

/** A JSON document: the envelope, then the command's own fields. Printed through printJson (secrets masked). */
export function jsonDocument(
  head: { command: CommandName | null; version: string; exitCode: number; error?: JsonError },
  body: Record<string, unknown> = {},
): string {
  const { command, version, exitCode, error } = head;
  const document = {
    schemaVersion: JSON_SCHEMA_VERSION,
    command,
    version,
    ok: exitCode === 0,
    exitCode,
    ...(error ? { error } : {}),
    ...body,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The word each action gets in a summary, done and (for --dry-run) planned. */
export const ACTION_WORDS: Record<FileAction, { done: string; planned: string }> = {
  create: { done: 'created', planned: 'would create' },
  update: { done: 'updated', planned: 'would update' },
  unchanged: { done: 'unchanged', planned: 'would keep' },
  edited: { done: 'refused', planned: 'would refuse' },
  foreign: { done: 'refused', planned: 'would refuse' },
  blocked: { done: 'refused', planned: 'would refuse' },
};

function runCommand(plan: Plan): string {
  const image = plan.images[plan.images.length - 1]!;
  const ports = image.port ? [image.port, ...(image.extraPorts ?? [])] : [];
  return `docker run --rm${ports.map((port) => ` -p ${port}:${port}`).join('')} ${image.tag}`;
}

export interface GenerateOutcome {
  dryRun: boolean;
  project: Project;
  plan: Plan;
  writes: FilePlan[];
  /** Where the policy changed a value the project had, and what was recorded about it. */
  policyNotes: string[];
  /** What recovering an interrupted run did. */
  recovered: string[];
  /** How this machine's docker runs the build commands (absent: docker was not asked). */
  advice?: CommandAdvice;
  /** The output directory from where the command ran ("" for here), to show file paths. */
  outPrefix?: string;
  /** The engine is Docker Desktop's. */
  desktop: boolean;
  /** Whether /etc/docker/daemon.json exists here (DockerEnvironment). */
  machineDaemonJson?: 'present' | 'missing';
}

function shownPath(outcome: GenerateOutcome, path: string): string {
  return outcome.outPrefix ? `${outcome.outPrefix}/${path}` : path;
}

/** The build commands as they run here (DOCKER_BUILDKIT=1 on an old engine), and why they differ. */
function commandsHere(outcome: GenerateOutcome): { build: string; targets: string[]; why?: string } {
  const adapt = outcome.advice?.command ?? ((command: string) => command);
  return {
    build: adapt(outcome.plan.buildCommand),
    targets: outcome.plan.targetBuildCommands.map(adapt),
    ...(outcome.advice?.why ? { why: outcome.advice.why } : {}),
  };
}

/** The one line a run without a terminal (and without --yes) prints: it answered nothing. */
export const NO_TERMINAL_NOTE =
  'no terminal, so nothing was asked: these files use the detected values and defaults, as --yes does (pass --yes to ' +
  'say so and drop this line, or give any answer as a flag: create-go-docker --help lists them).';

const VERSION_HINT = 'stamp a version: add --build-arg VERSION=$(git describe --tags --always)';

export function generateJson(outcome: GenerateOutcome): string {
  const { plan, project, writes, dryRun } = outcome;
  const here = commandsHere(outcome);
  const summary = {
    dryRun,
    module: plan.modulePath,
    mainPackages: project.mainPackages.map((main) => main.packagePath),
    files: writes.map((write) => ({ path: write.path, action: write.action, ...(dryRun ? { content: write.content } : {}) })),
    buildCommand: plan.buildCommand,
    targetBuildCommands: plan.targetBuildCommands,
    // The same, as they run on this machine's docker.
    buildCommandHere: here.build,
    ...(here.why ? { buildCommandWhy: here.why } : {}),
    runCommand: runCommand(plan),
    ...(plan.compose ? { composeCommand: plan.compose.upCommand } : {}),
    nextSteps: nextSteps(plan, stepContext(outcome)),
    policyNotes: outcome.policyNotes,
    notes: summaryNotes(outcome.recovered, plan),
    warnings: plan.warnings,
  };
  return jsonDocument({ command: 'generate', version: plan.toolVersion, exitCode: 0 }, summary);
}

export function generateLines(outcome: GenerateOutcome): string[] {
  const { plan, project, writes, dryRun } = outcome;
  const lines: string[] = [];
  if (dryRun) {
    for (const write of writes) {
      lines.push(
        `--- ${shownPath(outcome, write.path)} ` +
          `(${ACTION_WORDS[write.action].planned === 'would keep' ? 'would stay unchanged' : ACTION_WORDS[write.action].planned}) ---`,
        ...write.content.trimEnd().split('\n'),
        '',
      );
    }
  }
  const mains = project.mainPackages.length;
  lines.push(
    `create-go-docker ${plan.toolVersion}: ${plan.modulePath} (${mains} main package${mains > 1 ? 's' : ''}, ${plan.builder.image})`,
  );
  for (const write of writes)
    lines.push(
      `  ${(dryRun ? ACTION_WORDS[write.action].planned : ACTION_WORDS[write.action].done).padEnd(11)} ${shownPath(outcome, write.path)}`,
    );
  const here = commandsHere(outcome);
  lines.push('', 'Build:', `  ${here.build}`, ...here.targets.map((command) => `  ${command}`));
  if (plan.hasVersion) lines.push(`  (${VERSION_HINT})`);
  if (here.why) lines.push(`  ! ${here.why}`);
  lines.push('Run:', `  ${runCommand(plan)}`, ...(plan.compose ? [`  ${plan.compose.upCommand}`] : []));
  lines.push(
    ...closingSections(nextSteps(plan, stepContext(outcome)), summaryNotes(outcome.recovered, plan), outcome.policyNotes, plan.warnings),
  );
  return lines;
}

function stepContext(outcome: GenerateOutcome): StepContext {
  return {
    desktop: outcome.desktop,
    ...(outcome.machineDaemonJson ? { machineDaemonJson: outcome.machineDaemonJson } : {}),
    shown: (path) => shownPath(outcome, path),
    ...managedAndBackups(outcome.writes),
  };
}

/** The managed files (to commit) apart from the backups of what --force replaced (never committed). */
function managedAndBackups(writes: readonly FilePlan[]): { files: string[]; backups: string[] } {
  return {
    files: writes.filter((write) => !write.backupOf).map((write) => write.path),
    backups: writes.filter((write) => write.backupOf).map((write) => write.path),
  };
}

/** The summary's Notes section (JSON notes) of generate and regenerate: what recovering an interrupted run did, then the plan's notes. */
export function summaryNotes(recovered: readonly string[], plan: Plan): string[] {
  return [...recovered, ...plan.notes];
}

/** What generate and regenerate both end with: next steps, notes, policy notes, warnings; each only when it has lines. */
function closingSections(
  steps: readonly string[],
  notes: readonly string[],
  policyNotes: readonly string[],
  warnings: readonly string[],
): string[] {
  const lines: string[] = [];
  if (steps.length > 0) lines.push('', 'Next steps:', ...steps.map((step) => `  - ${step}`));
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((note) => `  - ${note}`));
  if (policyNotes.length > 0) lines.push('', 'Policy:', ...policyNotes.map((note) => `  - ${note}`));
  if (warnings.length > 0) lines.push('', 'Warnings:', ...warnings.map((warning) => `  ! ${warning}`));
  return lines;
}

/**
 * Where a project stands after regenerate, in --recursive's lines and in JSON alike. hand-edit is
 * what regenerate refuses to overwrite (edited by hand, not written by create-go-docker, custom
 * blocks it cannot read), so --check never calls it "would update"; unreadable is a
 * .go-docker.yaml (or a directory) that cannot be read; unmanaged a Go module no
 * .go-docker.yaml manages.
 */
export const PROJECT_STATUSES = ['up-to-date', 'would-update', 'updated', 'hand-edit', 'unreadable', 'failed', 'unmanaged'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** regenerate writes; --check and --diff only show (--check fails on drift, --diff does not). */
export type RegenerateMode = 'write' | 'check' | 'diff';

export function projectStatus(writes: readonly FilePlan[], mode: RegenerateMode): ProjectStatus {
  const changed = writes.filter((write) => write.action !== 'unchanged');
  // One refused file stops the whole project: regenerate writes every file or none.
  if (changed.some(isRefused)) return 'hand-edit';
  if (changed.length === 0) return 'up-to-date';
  return mode === 'write' ? 'updated' : 'would-update';
}

/** Whether a status makes the run exit 1. --diff shows a drift or a hand edit without failing, as diff does not fail on a difference. */
export function needsAttention(status: ProjectStatus, mode: RegenerateMode): boolean {
  if (status === 'unreadable' || status === 'failed') return true;
  if (status === 'hand-edit') return mode !== 'diff';
  return status === 'would-update' && mode === 'check';
}

/** One file of a project's result: what regenerate does with it, and (shown, or refused) its diff. */
export interface FileResult {
  path: string;
  action: FileAction;
  problem?: string;
  /** Unified diff, current (-) to regenerated (+), one line each (JSON: an array of lines). */
  diff?: string;
}

export interface ProjectResult {
  /** The directory of its .go-docker.yaml (an unmanaged module's root), from where the command ran; "." for there. */
  path: string;
  status: ProjectStatus;
  /** A directory the walk could not list is no project, and counts as none (its status is unreadable). */
  kind: 'managed' | 'unmanaged' | 'unlisted';
  files: FileResult[];
  /** unreadable, failed, unmanaged: what is wrong and the fix. */
  message?: string;
  /** unmanaged: the files that make it a module root. */
  roots?: ('go.mod' | 'go.work')[];
  /** A project that rendered: what regenerate would print after its files (notes are summaryNotes'). */
  notes?: string[];
  policyNotes?: string[];
  warnings?: string[];
  nextSteps?: string[];
}

/** The one line per project of regenerate --recursive: the status, the project, and what to do. */
export function recursiveLine(result: ProjectResult): string {
  return `${result.status.padEnd(STATUS_WIDTH)} ${result.path}${detail(result)}`;
}

const STATUS_WIDTH = Math.max(...PROJECT_STATUSES.map((status) => status.length));

function detail(result: ProjectResult): string {
  const changed = result.files.filter((file) => file.action !== 'unchanged');
  switch (result.status) {
    case 'up-to-date':
      return '';
    case 'would-update':
    case 'updated':
      return `: ${changed.map((file) => file.path).join(', ')}`;
    case 'hand-edit':
      return `: ${refusedSummary(changed, result.path, 'refuses')}`;
    default:
      return result.message ? `: ${result.message}` : '';
  }
}

/** The counts of regenerate --recursive's last line and of JSON's summary. */
export interface FleetSummary {
  /** Managed projects plus unmanaged modules. */
  modules: number;
  managed: number;
  unmanaged: number;
  /** Directories the walk could not list: modules in them are not counted. */
  unlistedDirectories: number;
  /** Every result by status, unmanaged modules included even when not listed. */
  statuses: Record<ProjectStatus, number>;
}

export function fleetSummary(results: readonly ProjectResult[]): FleetSummary {
  const statuses = Object.fromEntries(
    PROJECT_STATUSES.map((status) => [status, results.filter((result) => result.status === status).length]),
  ) as Record<ProjectStatus, number>;
  const count = (kind: ProjectResult['kind']) => results.filter((result) => result.kind === kind).length;
  const managed = count('managed');
  const unmanaged = count('unmanaged');
  return { modules: managed + unmanaged, managed, unmanaged, unlistedDirectories: count('unlisted'), statuses };
}

/** "40 modules: 36 managed (33 up to date, 2 would update, 1 hand edit), 4 unmanaged." */
export function summaryLine(summary: FleetSummary, results: readonly ProjectResult[]): string {
  const managed = results.filter((result) => result.kind === 'managed');
  const parts = PROJECT_STATUSES.map((status) => [status, managed.filter((result) => result.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status === 'hand-edit' && count > 1 ? 'hand edits' : status.replace(/-/g, ' ')}`);
  const unlisted = summary.unlistedDirectories;
  return [
    `${summary.modules} module${summary.modules === 1 ? '' : 's'}: ${summary.managed} ` +
      `managed${parts.length > 0 ? ` (${parts.join(', ')})` : ''}, ${summary.unmanaged} unmanaged`,
    unlisted > 0
      ? `; ${unlisted} director${unlisted > 1 ? 'ies' : 'y'} could not be listed, so modules in ` +
        `${unlisted > 1 ? 'them are' : 'it are'} not counted`
      : '',
    '.',
  ].join('');
}

/**
 * regenerate's JSON: the results (without the internal kind; unmanaged modules only when
 * listed), the counts of all of them, and why it failed, if it did.
 */
export function regenerateJson(
  head: { version: string; exitCode: number; error?: JsonError },
  mode: RegenerateMode,
  recursive: boolean,
  results: readonly ProjectResult[],
  listUnmanaged: boolean,
): string {
  const listed = listUnmanaged ? results : results.filter((result) => result.kind !== 'unmanaged');
  // A diff as lines: each a string of its own in JSON, for a reader and for the secret masking,
  // which sees "\n" inside one long string as part of a word.
  const projects = listed.map(({ kind: _kind, ...result }) => ({
    ...result,
    files: result.files.map((file) => (file.diff === undefined ? file : { ...file, diff: file.diff.replace(/\n$/, '').split('\n') })),
  }));
  return jsonDocument({ command: 'regenerate', ...head }, { mode, recursive, projects, summary: fleetSummary(results) });
}

export interface RegenerateReport {
  version: string;
  shownDir: string;
  plan: Plan;
  writes: readonly FilePlan[];
  /** What recovering an interrupted run did. */
  recovered: readonly string[];
  policyNotes: readonly string[];
  desktop: boolean;
  machineDaemonJson?: 'present' | 'missing';
}

/** What regenerate tells the user to do next, for the files it changed. */
export function regenerateSteps(report: RegenerateReport): string[] {
  const shown = (path: string) => (report.shownDir === '.' ? path : `${report.shownDir}/${path}`);
  const changed = report.writes.filter((write) => write.action !== 'unchanged' && !write.backupOf).map((write) => write.path);
  return nextSteps(report.plan, {
    desktop: report.desktop,
    ...(report.machineDaemonJson ? { machineDaemonJson: report.machineDaemonJson } : {}),
    shown,
    ...managedAndBackups(report.writes),
    changed,
  });
}

/** regenerate's summary: the files, then the same closing sections as generate, for what changed. */
export function regenerateLines(report: RegenerateReport): string[] {
  const refused = report.writes.filter(isRefused);
  if (refused.length > 0) {
    // All or nothing: no file was written, so there is nothing to apply or commit.
    return [
      `create-go-docker ${report.version} regenerate: ${report.shownDir}`,
      ...refused.map((write) => `  ${ACTION_WORDS[write.action].done.padEnd(11)} ${write.path}`),
      'Nothing was written: regenerate writes every file or none.',
    ];
  }
  return [
    `create-go-docker ${report.version} regenerate: ${report.shownDir}`,
    ...report.writes.map((write) => `  ${ACTION_WORDS[write.action].done.padEnd(11)} ${write.path}`),
    ...closingSections(regenerateSteps(report), summaryNotes(report.recovered, report.plan), report.policyNotes, report.plan.warnings),
  ];
}
