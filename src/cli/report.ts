// What the commands print, as pure functions from an outcome to lines. Every line that can hold
// a user's value goes through safeLine at the edge (main.ts), which masks secrets and escapes
// control characters.
import type { Project } from '../detect/project.js';
import { CONFIG_FILE_NAME } from '../options/files.js';
import type { Plan } from '../plan/plan.js';
import type { CommandAdvice } from './docker.js';
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

export function nextSteps(plan: Plan): string[] {
  const steps: string[] = [];
  if (plan.auth.token) {
    const host = plan.privateHosts[0] ?? 'YOUR-GIT-HOST';
    const others = plan.privateHosts.length > 1 ? ` (one line per host: ${plan.privateHosts.join(', ')})` : '';
    steps.push(`Token auth: ~/.netrc needs "machine ${host} login USER password TOKEN"${others}; the build mounts it as a BuildKit secret and never stores it in the image.`);
  }
  if (plan.auth.ssh) steps.push('SSH auth: start ssh-agent and ssh-add a key that can read your private repositories before building.');
  if (plan.daemonJson) {
    steps.push('Docker daemon: merge docker/daemon.json into /etc/docker/daemon.json (create-go-docker never touches /etc), then restart Docker (sudo systemctl restart docker).');
  }
  if (plan.platforms.length > 1) steps.push('Multi-platform images cannot be loaded into the local image store: add --push to the buildx command.');
  steps.push(`Commit Dockerfile, .dockerignore and ${CONFIG_FILE_NAME}; run create-go-docker regenerate after changing go.mod, the policy or your answers (lines in custom:begin/custom:end blocks are kept).`);
  return steps;
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
    nextSteps: nextSteps(plan),
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
      lines.push(`--- ${write.path} (${ACTION_WORDS[write.action].planned === 'would keep' ? 'would stay unchanged' : ACTION_WORDS[write.action].planned}) ---`, ...write.content.trimEnd().split('\n'), '');
    }
  }
  const mains = project.mainPackages.length;
  lines.push(`create-go-docker ${plan.toolVersion}: ${plan.modulePath} (${mains} main package${mains > 1 ? 's' : ''}, ${plan.builder.image})`);
  for (const write of writes) lines.push(`  ${(dryRun ? ACTION_WORDS[write.action].planned : ACTION_WORDS[write.action].done).padEnd(11)} ${write.path}`);
  const here = commandsHere(outcome);
  lines.push('', 'Build:', `  ${here.build}`, ...here.targets.map((command) => `  ${command}`));
  if (plan.hasVersion) lines.push(`  (${VERSION_HINT})`);
  if (here.why) lines.push(`  ! ${here.why}`);
  lines.push('Run:', `  ${runCommand(plan)}`);
  const steps = nextSteps(plan);
  if (steps.length > 0) lines.push('', 'Next steps:', ...steps.map((step) => `  - ${step}`));
  const notes = [...outcome.recovered, ...plan.notes];
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((note) => `  - ${note}`));
  if (outcome.notes.length > 0) lines.push('', 'Policy:', ...outcome.notes.map((note) => `  - ${note}`));
  if (plan.warnings.length > 0) lines.push('', 'Warnings:', ...plan.warnings.map((warning) => `  ! ${warning}`));
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

export function regenerateLines(version: string, shownDir: string, writes: readonly FilePlan[], notes: readonly string[]): string[] {
  return [`create-go-docker ${version} regenerate: ${shownDir}`, ...writes.map((write) => `  ${ACTION_WORDS[write.action].done.padEnd(11)} ${write.path}`), ...notes.map((note) => `  note: ${note}`)];
}
