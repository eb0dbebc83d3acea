// What .dockerignore says, decided here and printed by templates/dockerignore.hbs: the fixed
// rules, the lines for the files create-go-docker writes and the .orig backups it keeps of
// files it replaced, and a "!" exception for each path the build needs that a rule matches.
// The build reads none of our own files, and each is in the build context the compile step
// mounts whole, so an edit to one (a CI job, compose.yaml, a backup) would run the compile step
// again.
import { join } from 'node:path';
import { posixRelative } from '../io/paths.js';
import type { Project } from '../detect/project.js';
import { anyRuleMatcher } from '../values/dockerignore.js';
import {
  brandIf,
  brandKnown,
  contextPathProblem,
  ignorePatternProblem,
  ignoreRuleProblem,
  type ContextPath,
  type IgnorePattern,
} from '../values/kinds.js';
import { ANSWERS_FILE, ignoreFileFor, MANAGED_PATHS } from './paths.js';
import type { Plan } from './plan.js';

/**
 * The rules every .dockerignore we write has, by the section the template prints each under.
 * Our own constants, checked as rules when the plan is built (a wrong one fails every test that plans).
 */
const FIXED_RULES = {
  versionControl: ['.git', '.hg', '.svn', '.idea', '.vscode', '**/*.swp', '**/.DS_Store'],
  buildOutput: ['/bin', '/dist', '**/*.test', '**/*.out', '**/coverage.*', '**/node_modules'],
  secrets: ['**/.env', '**/.env.*', '**/.netrc', '**/*.pem', '**/*.key', '**/*.p12', '**/id_rsa*', '**/id_ecdsa*', '**/id_ed25519*'],
} as const satisfies Record<string, readonly string[]>;

/** The plan without the .dockerignore it decides last (the files written depend on the rest). */
type PlanBeforeIgnore = Omit<Plan, 'dockerignore'>;

/**
 * The .dockerignore's rules: the fixed ones, our files' lines, and the "!" exceptions for the
 * kept paths some rule above them matches (the user's custom block is theirs to keep right).
 */
export function dockerignorePlan(plan: PlanBeforeIgnore, project: Project, outDir: string): Plan['dockerignore'] {
  const rules = (patterns: readonly string[]) => patterns.map((pattern) => brandKnown<IgnorePattern>(pattern, ignoreRuleProblem));
  const fixed = {
    versionControl: rules(FIXED_RULES.versionControl),
    buildOutput: rules(FIXED_RULES.buildOutput),
    secrets: rules(FIXED_RULES.secrets),
  };
  const { own, backups } = ownIgnoreLines(plan, project.dir, outDir);
  const keep = keptPaths(project, plan.caCert);
  // Each rule compiled once, not once per kept path.
  const matched = anyRuleMatcher([...fixed.versionControl, ...fixed.buildOutput, ...fixed.secrets, ...own, ...backups]);
  return { ...fixed, own, backups, exceptions: keep.filter(matched) };
}

/** Paths the build needs whatever the rules say: the Go inputs, embedded files, local replaces, the CA the Dockerfile copies. */
function keptPaths(project: Project, caCert: Plan['caCert']): Plan['dockerignore']['exceptions'] {
  const keep: Plan['dockerignore']['exceptions'] = [
    ...['go.mod', 'go.sum', 'go.work', 'go.work.sum', 'vendor'].map((path) => brandKnown<ContextPath>(path, contextPathProblem)),
    ...project.embedPatterns,
    ...project.localReplaceDirs,
  ];
  if (caCert && !caCert.copyFrom) keep.push(caCert.contextPath);
  return keep;
}

/** The files a run writes into the output directory, as renderFiles (cli/pipeline.ts) writes them. */
function writtenFiles(plan: PlanBeforeIgnore, ignoreFileName: string): { path: string; readByBuild: boolean }[] {
  const files = [MANAGED_PATHS.dockerfile, ignoreFileName, ANSWERS_FILE].map((path) => ({ path, readByBuild: false }));
  const add = (path: string, readByBuild = false) => files.push({ path, readByBuild });
  if (plan.compose) add(MANAGED_PATHS.compose);
  if (plan.buildkitd) add(MANAGED_PATHS.buildkitdToml);
  if (plan.ci?.github) {
    add(MANAGED_PATHS.githubWorkflow);
    if (plan.ci.rollout) add(MANAGED_PATHS.githubRollout);
  }
  if (plan.ci?.gitlab) add(plan.ci.gitlabFile);
  if (plan.ci?.several) add(plan.ci.bakeFile);
  // The SSH host keys are COPY'd by the Dockerfile: only their backup goes.
  if (plan.auth.knownHosts) add(MANAGED_PATHS.knownHosts, true);
  if (plan.daemonJson) add(MANAGED_PATHS.daemonJson);
  if (plan.engineProxy) add(MANAGED_PATHS.engineProxy);
  if (plan.renovate) add(MANAGED_PATHS.renovate);
  // A CA certificate copied into the context is COPY'd by the Dockerfile: only its backup goes.
  // copyTo is from the output directory, like every path here (contextPath is from the project).
  if (plan.caCert?.copyTo) add(plan.caCert.copyTo, true);
  return files;
}

/**
 * The .dockerignore lines for our own files, as paths from the build context: the files the
 * build never reads, and a pattern per written file for its backups (Dockerfile.orig,
 * Dockerfile.orig.2, ...). Files outside the context (--out elsewhere) need no line; a path
 * that is not a plain context path (a directory name with a space or a glob character) gets
 * none either, since a pattern could not name it alone.
 */
function ownIgnoreLines(plan: PlanBeforeIgnore, projectDir: string, outDir: string): { own: ContextPath[]; backups: IgnorePattern[] } {
  const ignoreFileName = ignoreFileFor(outDir, projectDir);
  const own: ContextPath[] = [];
  const backups: IgnorePattern[] = [];
  for (const file of writtenFiles(plan, ignoreFileName)) {
    const checked = brandIf<ContextPath>(posixRelative(projectDir, join(outDir, file.path)), contextPathProblem);
    if (!('value' in checked)) continue;
    if (!file.readByBuild) own.push(checked.value);
    backups.push(brandKnown<IgnorePattern>(`${checked.value}.orig*`, ignorePatternProblem));
  }
  return { own, backups };
}
