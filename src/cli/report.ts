// What the commands print, as pure functions from an outcome to lines. Every line that can hold
// a user's value goes through safeLine at the edge (main.ts), which masks secrets and escapes
// control characters.
import type { Project } from '../detect/project.js';
import type { Plan } from '../plan/plan.js';
import type { CommandAdvice } from './docker.js';
import { nextSteps, type StepContext } from './steps.js';
import { isRefused, type FileAction, type FilePlan } from '../write/write.js';

/** The word each action gets in a summary, done and (for --dry-run) planned. */
export const ACTION_WORDS: Record<FileAction, { done: string; planned: string }> = {
  create: { done: 'created', planned: 'would create' },
  update: { done: 'updated', planned: 'would update' },
  unchanged: { done: 'unchanged', planned: 'would keep' },
  edited: { done: 'refused', planned: 'would refuse' },
  foreign: { done: 'refused', planned: 'would refuse' },
  blocked: { done: 'refused', planned: 'would refuse' },
};

export function runCommand(plan: Plan): string {
  const image = plan.images[plan.images.length - 1]!;
  return `docker run --rm${image.port ? ` -p ${image.port}:${image.port}` : ''} ${image.tag}`;
}

export interface GenerateOutcome {
  dryRun: boolean;
  project: Project;
  plan: Plan;
  writes: FilePlan[];
  /** Policy notes. */
  notes: string[];
  /** What recovering an interrupted run did. */
  recovered: string[];
  /** How this machine's docker runs the build commands (absent: docker was not asked). */
  advice?: CommandAdvice;
  /** The output directory from where the command ran ("" for here), to show file paths. */
  outPrefix?: string;
  /** The engine is Docker Desktop's. */
  desktop: boolean;
}

function shownPath(outcome: GenerateOutcome, path: string): string {
  return outcome.outPrefix ? `${outcome.outPrefix}/${path}` : path;
}

/** The build commands as they run here (DOCKER_BUILDKIT=1 on an old engine), and why they differ. */
function commandsHere(outcome: GenerateOutcome): { build: string; targets: string[]; why?: string } {
  const adapt = outcome.advice?.command ?? ((command: string) => command);
  return { build: adapt(outcome.plan.buildCommand), targets: outcome.plan.targetBuildCommands.map(adapt), ...(outcome.advice?.why ? { why: outcome.advice.why } : {}) };
}

const VERSION_HINT = 'stamp a version: add --build-arg VERSION=$(git describe --tags --always)';

export function generateJson(outcome: GenerateOutcome): string {
  const { plan, project, writes, dryRun } = outcome;
  const here = commandsHere(outcome);
  const summary = {
    version: plan.toolVersion,
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
    policyNotes: outcome.notes,
    notes: [...outcome.recovered, ...plan.notes],
    warnings: plan.warnings,
  };
  return `${JSON.stringify(summary, null, 2)}\n`;
}

export function generateLines(outcome: GenerateOutcome): string[] {
  const { plan, project, writes, dryRun } = outcome;
  const lines: string[] = [];
  if (dryRun) {
    for (const write of writes) {
      lines.push(`--- ${shownPath(outcome, write.path)} (${ACTION_WORDS[write.action].planned === 'would keep' ? 'would stay unchanged' : ACTION_WORDS[write.action].planned}) ---`, ...write.content.trimEnd().split('\n'), '');
    }
  }
  const mains = project.mainPackages.length;
  lines.push(`create-go-docker ${plan.toolVersion}: ${plan.modulePath} (${mains} main package${mains > 1 ? 's' : ''}, ${plan.builder.image})`);
  for (const write of writes) lines.push(`  ${(dryRun ? ACTION_WORDS[write.action].planned : ACTION_WORDS[write.action].done).padEnd(11)} ${shownPath(outcome, write.path)}`);
  const here = commandsHere(outcome);
  lines.push('', 'Build:', `  ${here.build}`, ...here.targets.map((command) => `  ${command}`));
  if (plan.hasVersion) lines.push(`  (${VERSION_HINT})`);
  if (here.why) lines.push(`  ! ${here.why}`);
  lines.push('Run:', `  ${runCommand(plan)}`, ...(plan.compose ? [`  ${plan.compose.upCommand}`] : []));
  lines.push(...closingSections(nextSteps(plan, stepContext(outcome)), [...outcome.recovered, ...plan.notes], outcome.notes, plan.warnings));
  return lines;
}

function stepContext(outcome: GenerateOutcome): StepContext {
  return { desktop: outcome.desktop, shown: (path) => shownPath(outcome, path), ...managedAndBackups(outcome.writes) };
}

/** The managed files (to commit) apart from the backups of what --force replaced (never committed). */
function managedAndBackups(writes: readonly FilePlan[]): { files: string[]; backups: string[] } {
  return { files: writes.filter((write) => !write.backupOf).map((write) => write.path), backups: writes.filter((write) => write.backupOf).map((write) => write.path) };
}

/** What generate and regenerate both end with: next steps, notes, policy notes, warnings; each only when it has lines. */
export function closingSections(steps: readonly string[], notes: readonly string[], policyNotes: readonly string[], warnings: readonly string[]): string[] {
  const lines: string[] = [];
  if (steps.length > 0) lines.push('', 'Next steps:', ...steps.map((step) => `  - ${step}`));
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((note) => `  - ${note}`));
  if (policyNotes.length > 0) lines.push('', 'Policy:', ...policyNotes.map((note) => `  - ${note}`));
  if (warnings.length > 0) lines.push('', 'Warnings:', ...warnings.map((warning) => `  ! ${warning}`));
  return lines;
}

/** The one line per project of regenerate --recursive. */
export function recursiveLine(name: string, status: string, writes: readonly FilePlan[], showOnly: boolean): string {
  const changed = writes.filter((write) => write.action !== 'unchanged');
  const detail =
    status === 'refused'
      ? changed
          .filter(isRefused)
          .map((write) => `${write.path} ${write.action === 'edited' ? 'edited by hand' : write.action === 'blocked' ? 'has unreadable custom blocks' : 'not ours'}`)
          .join(', ')
      : changed.length === 0
        ? 'up to date'
        : `${showOnly ? 'would update' : 'updated'} ${changed.map((write) => write.path).join(', ')}`;
  return `${status.padEnd(8)} ${name}: ${detail}`;
}

export interface RegenerateReport {
  version: string;
  shownDir: string;
  plan: Plan;
  writes: readonly FilePlan[];
  /** Recovery and plan notes. */
  notes: readonly string[];
  policyNotes: readonly string[];
  desktop: boolean;
}

/** regenerate's summary: the files, then the same closing sections as generate, for what changed. */
export function regenerateLines(report: RegenerateReport): string[] {
  const refused = report.writes.filter(isRefused);
  if (refused.length > 0) {
    // All or nothing: no file was written, so there is nothing to apply or commit.
    return [`create-go-docker ${report.version} regenerate: ${report.shownDir}`, ...refused.map((write) => `  ${ACTION_WORDS[write.action].done.padEnd(11)} ${write.path}`), 'Nothing was written: regenerate writes every file or none.'];
  }
  const shown = (path: string) => (report.shownDir === '.' ? path : `${report.shownDir}/${path}`);
  const changed = report.writes.filter((write) => write.action !== 'unchanged' && !write.backupOf).map((write) => write.path);
  return [
    `create-go-docker ${report.version} regenerate: ${report.shownDir}`,
    ...report.writes.map((write) => `  ${ACTION_WORDS[write.action].done.padEnd(11)} ${write.path}`),
    ...closingSections(nextSteps(report.plan, { desktop: report.desktop, shown, ...managedAndBackups(report.writes), changed }), report.notes, report.policyNotes, report.plan.warnings),
  ];
}
