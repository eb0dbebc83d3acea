// The one pipeline generate and regenerate share: detect -> options (+ policy, wizard) -> check
// -> plan -> render -> the write plan. It writes nothing.
import { basename, isAbsolute, join, parse, relative } from 'node:path';
import { findUp, gitRoot, posixRelative } from '../io/paths.js';
import { entryKind, MIB } from '../io/read.js';
import { readOptionalProjectFile } from '../io/project-files.js';
import { sameTags } from '../detect/buildinfo.js';
import { analyzeProject, detectedGoVersion, detectProject, type Project } from '../detect/project.js';
import { readCaCertificates } from '../options/ca.js';
import { checkCombinations, checkOptions } from '../options/check.js';
import { undecidedHostsWarning, withDerivedDefaults, withPolicyBase, type BaseConstraints } from '../options/defaults.js';
import { renderAnswers } from '../options/answers.js';
import type { AnswersFile } from '../options/option-files.js';
import { recordedFile } from '../options/repository.js';
import { readUserKnownHosts, resolveHostKeys } from '../options/host-keys.js';
import { describeSource, FILE_KEYS, type OptionKey, type OptionSource, type PartialOptions, type SourceFiles } from '../options/model.js';
import { regionHint, REGION_LABELS } from '../options/regions.js';
import { applyPolicy } from '../options/policy.js';
import { fetchPolicy, POLICY_TIMEOUT_MS, policyOutcome, selectPolicy, type FetchedPolicy } from '../options/policy-source.js';
import { deriveSafeName } from '../values/kinds.js';
import { shown } from '../values/text.js';
import { UsageError } from '../errors.js';
import type { CiPolicySource } from '../plan/ci.js';
import { detectedOptions, recordedAnswers, resolveOptions, type OptionLayer, type ResolvedOptions } from '../options/resolve.js';
import { buildPlan, type Plan } from '../plan/plan.js';
import { projectPrivateHosts, sshFetchHosts } from '../plan/fetch.js';
import { ANSWERS_FILE, CA_CERT_DIR, ignoreFileFor, MANAGED_PATHS } from '../plan/paths.js';
import {
  renderCiFile,
  renderCompose,
  renderDaemonJson,
  renderDockerfile,
  renderDockerignore,
  renderKnownHosts,
  type RenderedFile,
} from '../render/render.js';
import type { GeneratedInput } from '../doctor/generated.js';
import type { PromptApi } from '../wizard/wizard.js';
import { managedHash, markedHash } from '../write/managed.js';
import type { Run } from '../write/conflicts.js';
import { planWrites, type FilePlan } from '../write/write.js';
import type { CliIo } from './main.js';
import { printLines } from './output.js';
import { toolVersion } from './version.js';

export interface RenderInput {
  /** The command rendering: files in the way are decided per command (write/conflicts.ts). */
  command: Run['command'];
  projectDir: string;
  /** How the user named the project directory, for messages. */
  dirInput: string;
  outDir: string;
  /** outDir's .go-docker.yaml, when there is one. */
  answers: AnswersFile | undefined;
  flagOptions: PartialOptions;
  /** --policy as given: a path (relative to io.cwd), an https URL or an npm package. */
  policyFlag?: string;
  /** Ask the wizard's questions (never for --yes, regenerate or without a terminal). */
  ask: boolean;
  force: boolean;
  /** The directory the user named, as shown to them, when it has no go.mod and projectDir is the module above it. */
  noGoModIn?: string;
  /** What the command decided before rendering (nothing could be asked): the plan's first notes, after noGoModIn's. */
  planNotes?: readonly string[];
}

export interface RenderResult {
  project: Project;
  plan: Plan;
  writes: FilePlan[];
  /** Where the policy changed a value the project had, and what was recorded about it. */
  policyNotes: string[];
  /** The policy is not the one that made the files (its sha256 changed): one line naming it, for --check. */
  policyChange?: string;
  /** What checkWritten needs besides the files. */
  written: Omit<GeneratedInput, 'files'>;
}

/**
 * What the Dockerfile a first run replaces sets (module proxy, private paths, HTTP proxy,
 * runtime base), checked as any input is; one that is ours, a link, too large or unreadable
 * carries nothing over (the write step names what is wrong with it).
 */
async function carriedFromDockerfile(outDir: string): Promise<PartialOptions> {
  let text: string | undefined;
  try {
    text = readOptionalProjectFile(outDir, MANAGED_PATHS.dockerfile, { maxBytes: MIB });
  } catch {
    return {};
  }
  if (text === undefined || markedHash(text) !== undefined) return {};
  // The Dockerfile parser is loaded only when there is another Dockerfile to read.
  const [{ parseDockerfile }, { carriedOptions }] = await Promise.all([
    import('../doctor/dockerfile.js'),
    import('../doctor/carry-over.js'),
  ]);
  try {
    return carriedOptions(parseDockerfile(text));
  } catch {
    return {}; // a text the parser gives up on knows nothing we could carry over
  }
}

/** The options .go-docker.yaml shows as in effect: ssh-keyscan only where it can matter (auth ssh). */
function inEffectOptions(resolved: ResolvedOptions): PartialOptions {
  if (resolved.options.auth === 'ssh') return resolved.options;
  const { sshKeyscan: _unused, ...rest } = resolved.options;
  return rest;
}

/** The values still carried over after flags and the wizard, said once (they are recorded as answers). */
function carriedNote(resolved: ResolvedOptions): string[] {
  const keys = (Object.keys(FILE_KEYS) as OptionKey[]).filter((key) => resolved.sources[key] === 'carried');
  if (keys.length === 0) return [];
  const values = keys.map((key) => {
    const value = resolved.options[key];
    return `${FILE_KEYS[key]} ${Array.isArray(value) ? value.join(',') : String(value)}`;
  });
  const carried = `Carried over from the existing ${MANAGED_PATHS.dockerfile}: ${values.join(', ')}`;
  return [`${carried} (recorded in ${ANSWERS_FILE}; a flag overrides each).`];
}

/** One fetch of each policy source per run (regenerate --recursive), keyed by the run's io. */
const POLICY_MEMO = new WeakMap<CliIo, Map<string, Promise<FetchedPolicy>>>();

export async function renderProject(input: RenderInput, io: CliIo): Promise<RenderResult> {
  const version = toolVersion();
  const { projectDir, outDir, answers } = input;
  let project = detectProject(projectDir, input.dirInput);
  const env = io.env ?? process.env;
  const answersPath = join(outDir, ANSWERS_FILE);
  const repository = recordRoot(projectDir, outDir);
  // Which policy applies: --policy, else $CREATE_GO_DOCKER_POLICY (what CI sets), else the one
  // .go-docker.yaml records (policy-source.ts); a recorded one that cannot be had is an error.
  const choice = selectPolicy({
    ...(input.policyFlag !== undefined ? { flag: input.policyFlag } : {}),
    ...(env.CREATE_GO_DOCKER_POLICY !== undefined ? { variable: env.CREATE_GO_DOCKER_POLICY } : {}),
    cwd: io.cwd,
    answersPath,
    answers,
    repository,
  });
  let memo = POLICY_MEMO.get(io);
  if (!memo) POLICY_MEMO.set(io, (memo = new Map<string, Promise<FetchedPolicy>>()));
  // npm needs PATH and HOME even when a test gives io.env; the variables it sets win.
  const fetchEnv = io.env ? { ...process.env, ...io.env } : process.env;
  const fetched = choice
    ? await fetchPolicy(choice, { env: fetchEnv, projectDir, repository, timeoutMs: io.policyTimeoutMs ?? POLICY_TIMEOUT_MS, memo })
    : undefined;
  const policy = fetched?.policy;
  const outcome = policyOutcome(choice, fetched, answers, repository);

  // A first run over a Dockerfile we did not write keeps what it knew about the network and base.
  const carried = input.command === 'generate' && !answers ? await carriedFromDockerfile(outDir) : {};
  const layers: OptionLayer[] = [
    { source: 'detected', values: detectedOptions(project) },
    { source: 'carried', values: carried },
    { source: 'answers', values: answers?.options ?? {} },
    { source: 'flag', values: input.flagOptions },
  ];
  let resolved: ResolvedOptions = resolveOptions(layers);
  let valueNotes: string[] = [];
  if (policy) ({ resolved, notes: valueNotes } = applyPolicy(resolved, policy));
  // Every line about the policy: the values it set or constrained, then what is recorded about it.
  const policyNotes = [...valueNotes, ...outcome.notes];
  // Build tags decide which files compile, so which packages are mains: look again with them.
  const withTags = (current: Project) =>
    sameTags(current.tags, resolved.options.tags) ? current : analyzeProject(current, resolved.options.tags);
  project = withTags(project);
  // Where each value came from, to the line, for the one line a refusal prints.
  const sourceFiles: SourceFiles = {
    ...(answers ? { answers: { path: posixRelative(io.cwd, answersPath) || ANSWERS_FILE, lines: answers.lines ?? {} } } : {}),
    ...(policy ? { policy: { path: policy.path, lines: policy.lines } } : {}),
  };
  const baseConstraints: BaseConstraints = policy?.allowedBases
    ? { allowedBases: policy.allowedBases, baseFromAllowed: policy.fixed.base === undefined }
    : {};
  // Before any question: a combination no answer can change (flags, the policy, .go-docker.yaml)
  // is refused now, not after the review with every answer lost.
  checkCombinations(withDerivedDefaults(resolved, project, baseConstraints), project, sourceFiles);
  resolved = withPolicyBase(resolved, project, baseConstraints);
  if (input.ask) {
    const { runWizard } = await import('../wizard/wizard.js');
    const prompts = await promptsFor(io);
    const hint = regionHint(env);
    resolved = await runWizard(
      resolved,
      { project, prompts, cwd: io.cwd, baseConstraints, ...(hint ? { regionHint: hint } : {}) },
      (lines) => printLines(io.stdout, lines),
    );
    if (policy) resolved = applyPolicy(resolved, policy).resolved;
    project = withTags(project);
  }
  // What nobody chose, derived as the wizard offered it (options/defaults.ts).
  resolved = withDerivedDefaults(resolved, project, baseConstraints);
  const optionWarnings = checkOptions(resolved, project, sourceFiles);
  // Detection could not decide these hosts, and nobody was asked: say so, naming the flag.
  const undecided = input.ask ? undefined : undecidedHostsWarning(resolved.options, project);
  // TZ or the locale suggests another region than the default nobody changed: said, not chosen.
  const hinted = !input.ask && resolved.sources.region === 'default' ? regionHint(env) : undefined;
  const regionHintWarning =
    hinted && hinted.region !== resolved.options.region
      ? `${hinted.why} suggests ${REGION_LABELS[hinted.region].label}, but nobody chose a region, so it is ${resolved.options.region}: ` +
        `pass --region ${hinted.region} if your builds run there.`
      : undefined;
  const caCert = resolved.options.caCert;
  if (caCert && resolved.sources.caCert === 'answers' && answers?.caCertEntry)
    recordedFile(answersPath, 'ca-cert', answers.caCertEntry, repository, caCertFix(outDir, caCert));
  const caCertText = caCert ? readCaCertificates(caCert, caCertInput(resolved.sources.caCert, answersPath, answers)) : undefined;
  // Our own copy (docker/ca-certificates/NAME.crt, recorded in files:) is copied onto itself, so
  // it stays managed and the Dockerfile is the one the original made.
  const caCopy = caCert ? posixRelative(outDir, caCert) : '';
  const ownCaCopy = caCopy.startsWith(`${CA_CERT_DIR}/`) && answers?.files[caCopy] !== undefined;

  if (resolved.options.renovate) checkRenovateRoot(outDir);
  const detectedGo = detectedGoVersion(project);
  const goVersionSource = resolved.sources.goVersion === 'detected' && detectedGo ? detectedGo.source : 'chosen';
  // GitLab's file goes beside a .gitlab-ci.yml that is the project's own, for it to include.
  const foreignGitlabCi =
    entryKind(join(outDir, MANAGED_PATHS.gitlabCi)) !== 'missing' && answers?.files[MANAGED_PATHS.gitlabCi] === undefined;
  const ciPolicy: CiPolicySource | undefined = outcome.record?.spec?.kind ?? (outcome.record ? 'unrecorded' : undefined);
  // Before any file is rendered: a private host over SSH without a known key stops the run here.
  const hostKeys = resolveHostKeys({
    hosts: sshFetchHosts(project, resolved.options),
    keep: resolved.options.auth === 'ssh' ? projectPrivateHosts(project, resolved.options) : [],
    recorded: answers?.knownHosts ?? [],
    userKnownHosts: () => readUserKnownHosts(env.HOME ?? env.USERPROFILE),
    keyscan: resolved.options.sshKeyscan,
    hostsFrom: describeSource(resolved.sources.privatePatterns, 'privatePatterns', sourceFiles),
  });
  const planInput = {
    project,
    options: resolved.options,
    toolVersion: version,
    outDir,
    goVersionSource,
    foreignGitlabCi,
    ownCaCopy,
    ...(ciPolicy ? { policySource: ciPolicy } : {}),
    hostKeys: { lines: hostKeys.lines, keyscan: hostKeys.keyscan },
    notes: [
      ...(input.noGoModIn === undefined ? [] : [moduleAboveNote(input.noGoModIn, project.module.path, input.dirInput)]),
      ...(input.planNotes ?? []),
      ...carriedNote(resolved),
      ...hostKeys.notes,
    ],
  } as const;
  // The files show commands run from the project directory, so their bytes do not depend on
  // where create-go-docker ran (regenerate --recursive from a monorepo root, CI, a laptop);
  // the summary shows them from where the user is.
  const filePlan = buildPlan({ ...planInput, cwd: projectDir });
  const plan = io.cwd === projectDir ? filePlan : buildPlan({ ...planInput, cwd: io.cwd });
  plan.warnings.push(
    ...optionWarnings,
    ...(undecided ? [undecided] : []),
    ...(regionHintWarning ? [regionHintWarning] : []),
    ...hostKeys.warnings,
  );
  const ignoreFileName = ignoreFileFor(outDir, projectDir);
  const files = renderFiles(filePlan, caCertText, ignoreFileName);
  // A CA from outside the project is recorded as the copy in the repository, which every
  // checkout has, not as the original, which only this machine has.
  const recordedCa = filePlan.caCert?.copyTo ? { caCert: join(outDir, filePlan.caCert.copyTo) } : {};
  const recorded = recordedAnswers(resolved, policy?.fixed);
  const answersText = await renderAnswers({
    toolVersion: version,
    answersDir: outDir,
    answers: recorded.caCert ? { ...recorded, ...recordedCa } : recorded,
    inEffect: { ...inEffectOptions(resolved), ...recordedCa },
    ...(outcome.record ? { policy: outcome.record } : {}),
    projectDir,
    knownHosts: hostKeys.recorded,
    files: Object.fromEntries(files.map((file) => [file.path, managedHash(file.content)])),
  });
  files.push({ path: ANSWERS_FILE, content: answersText });
  // Files in the way were asked about before the first question (generate's settleConflicts): a
  // file in the way now is decided as for a run that cannot ask.
  const writes = planWrites(outDir, files, answers?.files ?? {}, { command: input.command, force: input.force, ask: false });
  const written = {
    project,
    options: resolved.options,
    outDir,
    dockerfile: MANAGED_PATHS.dockerfile,
    dockerignore: ignoreFileName,
    daemonJson: MANAGED_PATHS.daemonJson,
  };
  return { project, plan, writes, policyNotes, written, ...(outcome.change ? { policyChange: outcome.change } : {}) };
}

/**
 * After writing: doctor's static checks on the files just written (custom blocks included). An
 * error there is a generator bug or forced by an option; each is added to the summary's
 * warnings (doctor/generated.ts). Only when a file changed: unchanged files were checked when
 * they were written, so an up-to-date fleet pays nothing (the parser is ~40 ms to load).
 */
export async function checkWritten(result: RenderResult): Promise<void> {
  const files = result.writes.filter((write) => !write.backupOf);
  if (!files.some((write) => write.action === 'create' || write.action === 'update')) return;
  const { checkGenerated, generatedWarning } = await import('../doctor/generated.js');
  result.plan.warnings.push(...checkGenerated({ ...result.written, files }).map(generatedWarning));
}

/**
 * What recorded paths must stay in: the git repository holding the answers (what a clone has),
 * else, outside any repository, the directory holding both the project and the answers.
 */
function recordRoot(projectDir: string, outDir: string): string {
  const repository = gitRoot(outDir) ?? gitRoot(projectDir);
  if (repository) return repository;
  const holdsOut = (dir: string) => (relative(dir, outDir).startsWith('..') || isAbsolute(relative(dir, outDir)) ? undefined : dir);
  return findUp(projectDir, holdsOut) ?? parse(projectDir).root;
}

/** Where else Renovate finds a configuration (it reads the first of its list, renovate.json first). */
const OTHER_RENOVATE_CONFIGS = [
  'renovate.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitlab/renovate.json',
  '.gitlab/renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.renovaterc.json5',
];

/**
 * renovate.json works only at the repository root, and only as the repository's one Renovate
 * configuration (Renovate reads the first it finds, ours first): else a usage error saying so.
 */
function checkRenovateRoot(outDir: string): void {
  const repository = gitRoot(outDir);
  const fix = 'drop renovate and add the rules of README\'s "Image pins" section to your Renovate configuration';
  if (repository !== undefined && relative(repository, outDir) !== '')
    throw new UsageError(
      `renovate: Renovate reads its configuration at the repository root (${shown(repository)}), not in ${shown(outDir)}; ${fix}.`,
    );
  const other = OTHER_RENOVATE_CONFIGS.find((path) => entryKind(join(outDir, path)) !== 'missing');
  if (other !== undefined)
    throw new UsageError(`renovate: ${other} already configures Renovate, which reads one configuration only; ${fix}.`);
}

/** For a run from a directory without go.mod: the module above it that the files are for, and where they go. */
function moduleAboveNote(noGoModIn: string, modulePath: string, dirInput: string): string {
  const using = `using the module ${modulePath} at ${dirInput}, as the go command does`;
  return `no go.mod in ${noGoModIn}: ${using}; the files are written there.`;
}

/** How a CA error names the input: the flag, or .go-docker.yaml's line, or the policy; never a flag nobody passed. */
function caCertInput(source: OptionSource, answersPath: string, answers: AnswersFile | undefined): string {
  if (source === 'answers' && answers?.caCertEntry) return `${answersPath}:${answers.caCertEntry.line}: ca-cert`;
  if (source === 'policy') return "the policy's ca-cert";
  return '--ca-cert';
}

/** The fix for a recorded ca-cert no checkout can resolve: our copy, when it is in the repository. */
function caCertFix(outDir: string, caCert: string): string {
  const copy = `${CA_CERT_DIR}/${deriveSafeName(basename(caCert).replace(/\.(pem|crt|cer)$/i, ''), 'corporate-ca')}.crt`;
  if (entryKind(join(outDir, ...copy.split('/'))) === 'file')
    return `write ca-cert: ${copy}, the copy create-go-docker made (it is in the repository)`;
  return (
    `commit the PEM file into the repository and point ca-cert at it (relative to ${ANSWERS_FILE}), or ` +
    'run create-go-docker --ca-cert FILE once more: it records the copy it makes'
  );
}

function renderFiles(plan: Plan, caCertText: string | undefined, ignoreFileName: string): RenderedFile[] {
  const files: RenderedFile[] = [
    { path: MANAGED_PATHS.dockerfile, content: renderDockerfile(plan) },
    { path: ignoreFileName, content: renderDockerignore(plan) },
  ];
  if (plan.compose) files.push({ path: MANAGED_PATHS.compose, content: renderCompose(plan) });
  if (plan.buildkitd) files.push({ path: MANAGED_PATHS.buildkitdToml, content: renderCiFile(plan, 'buildkitd.toml.hbs') });
  if (plan.ci?.github) {
    files.push({ path: MANAGED_PATHS.githubWorkflow, content: renderCiFile(plan, 'github-workflow.yml.hbs') });
    if (plan.ci.rollout) files.push({ path: MANAGED_PATHS.githubRollout, content: renderCiFile(plan, 'github-rollout.yml.hbs') });
  }
  if (plan.ci?.gitlab) files.push({ path: plan.ci.gitlabFile, content: renderCiFile(plan, 'gitlab-ci.yml.hbs') });
  if (plan.ci?.several) files.push({ path: plan.ci.bakeFile, content: renderCiFile(plan, 'docker-bake.hcl.hbs') });
  if (plan.auth.knownHosts) files.push({ path: MANAGED_PATHS.knownHosts, content: renderKnownHosts(plan) });
  if (plan.daemonJson) files.push({ path: MANAGED_PATHS.daemonJson, content: renderDaemonJson(plan.daemonJson) });
  if (plan.engineProxy) files.push({ path: MANAGED_PATHS.engineProxy, content: renderCiFile(plan, 'http-proxy.conf.hbs') });
  if (plan.renovate) files.push({ path: MANAGED_PATHS.renovate, content: renderCiFile(plan, 'renovate.json.hbs') });
  if (plan.caCert?.copyTo && caCertText !== undefined) files.push({ path: plan.caCert.copyTo, content: caCertText });
  return files;
}

export async function promptsFor(io: CliIo): Promise<PromptApi> {
  return io.loadPrompts ? io.loadPrompts() : loadInquirer();
}

async function loadInquirer(): Promise<PromptApi> {
  // The two prompts alone: @inquirer/prompts would also bundle the editor prompt's encodings.
  const [{ default: select }, { default: input }] = await Promise.all([import('@inquirer/select'), import('@inquirer/input')]);
  return { select, input };
}
