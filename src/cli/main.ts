// The command: detect -> options -> (wizard) -> plan -> render -> write -> summary.
// I/O lives here and in detect/ and write/; the steps between are pure.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { detectProject, type Project } from '../detect/project.js';
import { RuntimeError, UsageError } from '../errors.js';
import { CONFIG_FILE_NAME, loadConfig, loadPolicy, renderConfig } from '../options/files.js';
import type { PartialOptions } from '../options/model.js';
import { detectedOptions, recordedAnswers, resolveOptions, type OptionLayer, type ResolvedOptions } from '../options/resolve.js';
import { buildPlan, type Plan } from '../plan/plan.js';
import { findTemplatesDir, renderDaemonJson, renderDockerfile, renderDockerignore, type RenderedFile } from '../render/render.js';
import type { PromptApi } from '../wizard/wizard.js';
import { checkWrites, commitWrites, contentHash, type FilePlan } from '../write/write.js';
import { helpText, parseCommandLine, type ParsedArgs } from './flags.js';

export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdin and stdout are a terminal: the wizard may run. */
  interactive: boolean;
  /** Loads the prompt library; tests pass scripted answers. */
  loadPrompts?: () => Promise<PromptApi>;
}

export function toolVersion(): string {
  const packageJson = JSON.parse(readFileSync(join(dirname(findTemplatesDir()), 'package.json'), 'utf8')) as { version: string };
  return packageJson.version;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    if (args.help) {
      io.stdout(`${helpText(toolVersion())}\n`);
      return 0;
    }
    if (args.version) {
      io.stdout(`${toolVersion()}\n`);
      return 0;
    }
    return await generate(args, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof RuntimeError) {
      io.stderr(`create-go-docker: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof Error && error.name === 'ExitPromptError') {
      io.stderr('create-go-docker: cancelled; nothing was written.\n');
      return 130;
    }
    throw error;
  }
}

async function generate(args: ParsedArgs, io: CliIo): Promise<number> {
  const version = toolVersion();
  const projectDir = resolve(io.cwd, args.dir ?? '.');
  const outDir = resolve(io.cwd, args.out ?? projectDir);
  const flagOptions: PartialOptions = { ...args.flagOptions };
  if (flagOptions.caCert) flagOptions.caCert = resolve(io.cwd, flagOptions.caCert);

  const project = detectProject(projectDir, args.dir ?? '.');
  const config = loadConfig(join(outDir, CONFIG_FILE_NAME));
  const policyPath = args.policy ? resolve(io.cwd, args.policy) : config?.policy;
  const policy = policyPath ? loadPolicy(policyPath) : {};

  const layers: OptionLayer[] = [
    { source: 'detected', values: detectedOptions(project) },
    { source: 'policy', values: policy },
    { source: 'config', values: config?.options ?? {} },
    { source: 'flag', values: flagOptions },
  ];
  let resolved: ResolvedOptions = resolveOptions(layers);
  if (io.interactive && !args.yes) {
    const { runWizard } = await import('../wizard/wizard.js');
    const prompts = io.loadPrompts ? await io.loadPrompts() : await loadInquirer();
    resolved = await runWizard(resolved, project, prompts);
  }
  const caCertText = resolved.options.caCert ? readCaCert(resolved.options.caCert) : undefined;

  const plan = buildPlan({ project, options: resolved.options, toolVersion: version, cwd: io.cwd, outDir });
  // Docker reads .dockerignore from the context root; a Dockerfile elsewhere (--out) gets
  // BuildKit's per-Dockerfile ignore file beside it instead.
  const ignoreFileName = outDir === projectDir ? '.dockerignore' : 'Dockerfile.dockerignore';
  const files = await renderFiles(plan, caCertText, ignoreFileName);
  const configText = renderConfig({
    toolVersion: version,
    configDir: outDir,
    answers: recordedAnswers(resolved),
    inEffect: resolved.options,
    ...(policyPath ? { policy: policyPath } : {}),
    files: Object.fromEntries(files.map((file) => [file.path, contentHash(file.content)])),
  });
  files.push({ path: CONFIG_FILE_NAME, content: configText });

  const writes = checkWrites(outDir, files, config?.files ?? {}, args.force);
  if (!args.dryRun) commitWrites(outDir, writes);
  report(io, { args, project, plan, writes });
  return 0;
}

async function loadInquirer(): Promise<PromptApi> {
  // The two prompts alone: @inquirer/prompts would also bundle the editor prompt's encodings.
  const [{ default: select }, { default: input }] = await Promise.all([import('@inquirer/select'), import('@inquirer/input')]);
  return { select, input } as PromptApi;
}

function readCaCert(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--ca-cert ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}); give the PEM file of your root CA.`);
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(text)) {
    throw new UsageError(`--ca-cert ${path}: not a PEM certificate (no BEGIN CERTIFICATE block); export the root CA as PEM.`);
  }
  if (/PRIVATE KEY-----/.test(text)) {
    throw new UsageError(`--ca-cert ${path}: contains a private key, which must never reach an image; give the certificate alone.`);
  }
  return text;
}

async function renderFiles(plan: Plan, caCertText: string | undefined, ignoreFileName: string): Promise<RenderedFile[]> {
  const files: RenderedFile[] = [
    { path: 'Dockerfile', content: renderDockerfile(plan) },
    { path: ignoreFileName, content: renderDockerignore(plan) },
  ];
  if (plan.daemonJson) files.push({ path: 'docker/daemon.json', content: await renderDaemonJson(plan.daemonJson) });
  if (plan.caCert?.copyFrom && caCertText !== undefined) files.push({ path: plan.caCert.contextPath, content: caCertText });
  return files;
}

interface ReportInput {
  args: ParsedArgs;
  project: Project;
  plan: Plan;
  writes: FilePlan[];
}

function report(io: CliIo, { args, project, plan, writes }: ReportInput): void {
  const defaultBinary = plan.binaries[plan.binaries.length - 1]!;
  const runCommand = `docker run --rm${defaultBinary.port ? ` -p ${defaultBinary.port}:${defaultBinary.port}` : ''} ${defaultBinary.name}`;
  const nextSteps = nextStepsFor(plan);
  if (args.json) {
    const summary = {
      version: plan.toolVersion,
      dryRun: args.dryRun,
      module: plan.modulePath,
      mainPackages: project.mainPackages.map((main) => main.packagePath),
      files: writes.map((write) => ({ path: write.path, action: write.action, ...(args.dryRun ? { content: write.content } : {}) })),
      buildCommand: plan.buildCommand,
      targetBuildCommands: plan.targetBuildCommands,
      runCommand,
      nextSteps,
      warnings: plan.warnings,
    };
    io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  if (args.dryRun) {
    for (const write of writes) {
      lines.push(`--- ${write.path} (would ${write.action === 'unchanged' ? 'stay unchanged' : write.action}) ---`, write.content.trimEnd(), '');
    }
  }
  const verb = (action: string): string => (args.dryRun ? `would ${action === 'unchanged' ? 'keep' : action}` : action === 'create' ? 'created' : action === 'update' ? 'updated' : 'unchanged');
  lines.push(`create-go-docker ${plan.toolVersion}: ${plan.modulePath} (${project.mainPackages.length} main package${project.mainPackages.length > 1 ? 's' : ''}, ${plan.builder.image})`);
  for (const write of writes) lines.push(`  ${verb(write.action).padEnd(11)} ${write.path}`);
  lines.push('', 'Build:', `  ${plan.buildCommand}`, ...plan.targetBuildCommands.map((command) => `  ${command}`));
  lines.push('Run:', `  ${runCommand}`);
  if (nextSteps.length > 0) lines.push('', 'Next steps:', ...nextSteps.map((step) => `  - ${step}`));
  if (plan.warnings.length > 0) lines.push('', 'Warnings:', ...plan.warnings.map((warning) => `  ! ${warning}`));
  io.stdout(`${lines.join('\n')}\n`);
}

function nextStepsFor(plan: Plan): string[] {
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
  steps.push(`Commit Dockerfile, .dockerignore and ${CONFIG_FILE_NAME}; rerun create-go-docker --yes after changing go.mod's go line or your answers.`);
  return steps;
}
