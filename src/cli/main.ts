// The command: detect -> options -> (wizard) -> plan -> render -> write -> summary.
// I/O lives here and in detect/ and write/; the steps between are pure.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { detectProject, type Project } from '../detect/project.js';
import { RuntimeError, UsageError } from '../errors.js';
import { CONFIG_FILE_NAME, loadConfig, loadPolicy, renderConfig, type ConfigFile } from '../options/files.js';
import type { PartialOptions } from '../options/model.js';
import { applyPolicy } from '../options/policy.js';
import { detectedOptions, recordedAnswers, resolveOptions, type OptionLayer, type ResolvedOptions } from '../options/resolve.js';
import { buildPlan, type Plan } from '../plan/plan.js';
import { findTemplatesDir, renderDaemonJson, renderDockerfile, renderDockerignore, type RenderedFile } from '../render/render.js';
import type { PromptApi } from '../wizard/wizard.js';
import { unifiedDiff } from '../write/diff.js';
import { managedHash } from '../write/managed.js';
import { commitWrites, planWrites, type FilePlan } from '../write/write.js';
import { doctorHelpText, helpText, parseCommandLine, parseDoctorLine, parseRegenerateLine, regenerateHelpText, type DoctorArgs, type ParsedArgs, type RegenerateArgs } from './flags.js';

export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdin and stdout are a terminal: the wizard may run. */
  interactive: boolean;
  /** Loads the prompt library; tests pass scripted answers. */
  loadPrompts?: () => Promise<PromptApi>;
  /** Environment variables (CREATE_GO_DOCKER_POLICY); process.env when absent. */
  env?: Record<string, string | undefined>;
}

export function toolVersion(): string {
  const packageJson = JSON.parse(readFileSync(join(dirname(findTemplatesDir()), 'package.json'), 'utf8')) as { version: string };
  return packageJson.version;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    if (argv[0] === 'regenerate') return await subcommand(argv.slice(1), io, parseRegenerateLine, regenerateHelpText, regenerate);
    if (argv[0] === 'doctor') return await subcommand(argv.slice(1), io, parseDoctorLine, doctorHelpText, doctor);
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

async function subcommand<Args extends { help: boolean }>(
  argv: readonly string[],
  io: CliIo,
  parse: (argv: readonly string[]) => Args,
  help: (version: string) => string,
  run: (args: Args, io: CliIo) => Promise<number>,
): Promise<number> {
  const args = parse(argv);
  if (!args.help) return run(args, io);
  io.stdout(`${help(toolVersion())}\n`);
  return 0;
}

interface RenderInput {
  projectDir: string;
  /** How the user named the project directory, for messages. */
  dirInput: string;
  outDir: string;
  /** outDir's .go-docker.yaml, when there is one. */
  config: ConfigFile | undefined;
  flagOptions: PartialOptions;
  /** --policy, absolute. */
  policyFlag?: string;
  /** Ask the wizard's questions (never for --yes, regenerate or without a terminal). */
  ask: boolean;
  force: boolean;
}

interface RenderResult {
  project: Project;
  plan: Plan;
  writes: FilePlan[];
  /** Where the policy changed a value the project had. */
  notes: string[];
}

/** detect -> options (+ policy, wizard) -> plan -> render -> the write plan; writes nothing. */
async function renderProject(input: RenderInput, io: CliIo): Promise<RenderResult> {
  const version = toolVersion();
  const { projectDir, outDir, config } = input;
  const project = detectProject(projectDir, input.dirInput);
  const environmentPolicy = (io.env ?? process.env).CREATE_GO_DOCKER_POLICY;
  // Recorded in .go-docker.yaml: a --policy, or the one recorded before; never the variable.
  const recordedPolicy = input.policyFlag ?? config?.policy;
  const policyPath = recordedPolicy ?? (environmentPolicy ? resolve(io.cwd, environmentPolicy) : undefined);
  const policy = policyPath ? loadPolicy(policyPath) : undefined;

  const layers: OptionLayer[] = [
    { source: 'detected', values: detectedOptions(project) },
    { source: 'config', values: config?.options ?? {} },
    { source: 'flag', values: input.flagOptions },
  ];
  let resolved: ResolvedOptions = resolveOptions(layers);
  let notes: string[] = [];
  if (policy) ({ resolved, notes } = applyPolicy(resolved, policy));
  if (input.ask) {
    const { runWizard } = await import('../wizard/wizard.js');
    const prompts = io.loadPrompts ? await io.loadPrompts() : await loadInquirer();
    resolved = await runWizard(resolved, project, prompts, policy?.allowedBases);
    if (policy) resolved = applyPolicy(resolved, policy).resolved;
  }
  const caCertText = resolved.options.caCert ? readCaCert(resolved.options.caCert) : undefined;

  const planInput = { project, options: resolved.options, toolVersion: version, outDir };
  // The files show commands run from the project directory, so their bytes do not depend on
  // where create-go-docker ran (regenerate --recursive from a monorepo root, CI, a laptop);
  // the summary shows them from where the user is.
  const filePlan = buildPlan({ ...planInput, cwd: projectDir });
  const plan = io.cwd === projectDir ? filePlan : buildPlan({ ...planInput, cwd: io.cwd });
  // Docker reads .dockerignore from the context root; a Dockerfile elsewhere (--out) gets
  // BuildKit's per-Dockerfile ignore file beside it instead.
  const ignoreFileName = outDir === projectDir ? '.dockerignore' : 'Dockerfile.dockerignore';
  const files = await renderFiles(filePlan, caCertText, ignoreFileName);
  const configText = renderConfig({
    toolVersion: version,
    configDir: outDir,
    answers: recordedAnswers(resolved, policy?.fixed),
    inEffect: resolved.options,
    ...(recordedPolicy ? { policy: recordedPolicy } : {}),
    projectDir,
    files: Object.fromEntries(files.map((file) => [file.path, managedHash(file.content)])),
  });
  files.push({ path: CONFIG_FILE_NAME, content: configText });
  const writes = planWrites(outDir, files, config?.files ?? {}, input.force);
  return { project, plan, writes, notes };
}

async function generate(args: ParsedArgs, io: CliIo): Promise<number> {
  const projectDir = resolve(io.cwd, args.dir ?? '.');
  const outDir = resolve(io.cwd, args.out ?? projectDir);
  const flagOptions: PartialOptions = { ...args.flagOptions };
  if (flagOptions.caCert) flagOptions.caCert = resolve(io.cwd, flagOptions.caCert);
  const result = await renderProject(
    {
      projectDir,
      dirInput: args.dir ?? '.',
      outDir,
      config: loadConfig(join(outDir, CONFIG_FILE_NAME)),
      flagOptions,
      ...(args.policy ? { policyFlag: resolve(io.cwd, args.policy) } : {}),
      ask: io.interactive && !args.yes,
      force: args.force,
    },
    io,
  );
  const refused = result.writes.find((write) => write.action === 'edited' || write.action === 'foreign');
  if (refused) {
    const fix = refused.action === 'edited' ? 'see your edits with create-go-docker regenerate --diff, move them into a custom block, or rerun with --force to replace it' : 'move it away, or rerun with --force to replace it';
    throw new RuntimeError(`${join(outDir, refused.path)}: ${refused.problem}; ${fix}.`);
  }
  if (!args.dryRun) commitWrites(outDir, result.writes);
  report(io, { args, ...result });
  return 0;
}

/** Where a project stands after regenerate: what the one summary line per project says. */
interface RegenerateOutcome {
  status: 'ok' | 'drift' | 'refused';
  writes: FilePlan[];
  notes: string[];
}

async function regenerateOne(configDir: string, args: RegenerateArgs, io: CliIo): Promise<RegenerateOutcome> {
  const configPath = join(configDir, CONFIG_FILE_NAME);
  const shown = relative(io.cwd, configDir) || '.';
  if (!existsSync(configPath)) {
    throw new RuntimeError(`${shown}: no ${CONFIG_FILE_NAME} here; run create-go-docker there first, or give the directory that holds it.`);
  }
  const config = loadConfig(configPath);
  const projectDir = config?.project ?? configDir;
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
  const changed = result.writes.filter((write) => write.action !== 'unchanged');
  const refused = changed.filter((write) => write.action === 'edited' || write.action === 'foreign');
  const label = (path: string) => (shown === '.' ? path : `${shown}/${path}`);
  if (args.check || args.diff) {
    for (const write of changed) io.stdout(unifiedDiff(write.current ?? '', write.content, `${label(write.path)} (current)`, `${label(write.path)} (regenerated)`));
    return { status: args.check && changed.length > 0 ? 'drift' : 'ok', writes: result.writes, notes: result.notes };
  }
  if (refused.length > 0) {
    for (const write of refused) {
      io.stderr(`create-go-docker: ${label(write.path)}: ${write.problem}; not overwritten (move your lines into a custom block, or rerun with --force).\n`);
      if (write.action === 'edited') io.stdout(unifiedDiff(write.content, write.current ?? '', `${label(write.path)} (generated)`, `${label(write.path)} (current)`));
    }
    return { status: 'refused', writes: result.writes, notes: result.notes };
  }
  commitWrites(configDir, result.writes);
  return { status: 'ok', writes: result.writes, notes: result.notes };
}

/** Every directory below root holding a .go-docker.yaml (monorepos), in path order. */
function findConfigDirs(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((entry) => entry.isFile() && entry.name === CONFIG_FILE_NAME)) found.push(dir);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !['node_modules', 'vendor', 'testdata'].includes(entry.name)) walk(join(dir, entry.name));
    }
  };
  walk(root);
  return found;
}

async function regenerate(args: RegenerateArgs, io: CliIo): Promise<number> {
  const root = resolve(io.cwd, args.dir ?? '.');
  if (!args.recursive) {
    const outcome = await regenerateOne(root, args, io);
    if (!args.check && !args.diff) {
      const lines = outcome.writes.map((write) => `  ${ACTION_WORDS[write.action].padEnd(11)} ${write.path}`);
      io.stdout(`${[`create-go-docker ${toolVersion()} regenerate: ${relative(io.cwd, root) || '.'}`, ...lines, ...outcome.notes.map((note) => `  note: ${note}`)].join('\n')}\n`);
    } else if (args.check) {
      const drifted = outcome.writes.filter((write) => write.action !== 'unchanged').map((write) => write.path);
      io.stdout(drifted.length > 0 ? `drift: ${drifted.join(', ')} differ from what .go-docker.yaml and the policy produce; run create-go-docker regenerate.\n` : 'ok: every managed file is up to date.\n');
    }
    return outcome.status === 'ok' ? 0 : 1;
  }
  const configDirs = findConfigDirs(root);
  if (configDirs.length === 0) throw new RuntimeError(`${args.dir ?? '.'}: no ${CONFIG_FILE_NAME} below it; run create-go-docker in each project first.`);
  let failures = 0;
  for (const configDir of configDirs) {
    const name = relative(io.cwd, configDir) || '.';
    try {
      const outcome = await regenerateOne(configDir, args, io);
      const changed = outcome.writes.filter((write) => write.action !== 'unchanged');
      if (outcome.status !== 'ok') failures++;
      const detail =
        outcome.status === 'refused'
          ? changed.filter((write) => write.action === 'edited' || write.action === 'foreign').map((write) => `${write.path} ${write.action === 'edited' ? 'edited by hand' : 'not ours'}`).join(', ')
          : changed.length === 0
            ? 'up to date'
            : `${args.check || args.diff ? 'would update' : 'updated'} ${changed.map((write) => write.path).join(', ')}`;
      io.stdout(`${outcome.status.padEnd(8)} ${name}: ${detail}\n`);
    } catch (error) {
      if (!(error instanceof UsageError || error instanceof RuntimeError)) throw error;
      failures++;
      io.stdout(`${'failed'.padEnd(8)} ${name}: ${error.message}\n`);
    }
  }
  io.stdout(`${configDirs.length} project${configDirs.length > 1 ? 's' : ''}, ${failures} not ok.\n`);
  return failures > 0 ? 1 : 0;
}

async function doctor(args: DoctorArgs, io: CliIo): Promise<number> {
  // The Dockerfile parser comes with doctor only, so generate and regenerate stay quick to start.
  const { diagnose, formatReport, reportJson } = await import('../doctor/doctor.js');
  const report = await diagnose({
    cwd: io.cwd,
    offline: args.offline,
    ...(args.dir ? { dir: args.dir } : {}),
    ...(args.dockerfile ? { dockerfile: args.dockerfile } : {}),
    ...(args.daemonJson ? { daemonJson: args.daemonJson } : {}),
    ...(args.timeoutSeconds ? { timeoutSeconds: args.timeoutSeconds } : {}),
  });
  io.stdout(args.json ? reportJson(report, toolVersion()) : formatReport(report, toolVersion(), args.dir ?? '.'));
  return report.findings.some((item) => item.severity === 'error') ? 1 : 0;
}

const ACTION_WORDS: Record<FilePlan['action'], string> = { create: 'created', update: 'updated', unchanged: 'unchanged', edited: 'refused', foreign: 'refused' };

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
  notes: string[];
}

function report(io: CliIo, { args, project, plan, writes, notes }: ReportInput): void {
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
      policyNotes: notes,
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
  if (notes.length > 0) lines.push('', 'Policy:', ...notes.map((note) => `  - ${note}`));
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
  steps.push(`Commit Dockerfile, .dockerignore and ${CONFIG_FILE_NAME}; run create-go-docker regenerate after changing go.mod, the policy or your answers (lines in custom:begin/custom:end blocks are kept).`);
  return steps;
}
