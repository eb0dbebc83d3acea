// Every check that spans several options or the project, in one place, after the policy and the
// wizard and before the plan: buildPlan may assume its input passed. Messages name where each
// value came from (a flag, .go-docker.yaml:line, the policy file and line, the wizard).
// checkCombinations also runs before the first question, and runtimeProblem filters the
// wizard's choices: what the wizard would refuse is refused from policy, flags and answers alike.
import type { Project } from '../detect/project.js';
import { RuntimeError, UsageError } from '../errors.js';
import { quoted, shown } from '../values/text.js';
import { cgoNeeded, runtimeLibc } from './libc.js';
import { describeSource, type Options, type SourceFiles } from './model.js';
import { REGION_DEFAULTS } from './regions.js';
import type { ResolvedOptions } from './resolve.js';
import { privateGitHosts } from './private.js';

/** Why the chosen runtime cannot run the binary the options build, or undefined when it can. */
export interface RuntimeProblem {
  /** The option that chose the runtime. */
  key: 'base' | 'baseImage';
  image: string;
  /** Why, e.g. "it has no C library (distroless static)". */
  why: string;
}

/**
 * A cgo binary needs the C library it was linked against: an image without one cannot start it
 * ("no such file or directory", the most common cgo failure in Docker). The one check for this,
 * used before any question, to filter the wizard's base choices, and after the wizard.
 */
export function runtimeProblem(options: Options, project: Pick<Project, 'cgoReasons'>): RuntimeProblem | undefined {
  if (!cgoNeeded(options, project)) return undefined;
  const runtime = runtimeLibc(options);
  if (runtime.libc !== 'none') return undefined;
  const key = options.baseImage === undefined ? 'base' : 'baseImage';
  const image = options.baseImage ?? options.base;
  // How we know: the table's entry for an image, nothing more for a family (scratch says it).
  const basis = runtime.assumed
    ? ` (taken to be ${runtime.basis}: create-go-docker does not know the image)`
    : key === 'baseImage'
      ? ` (${runtime.basis})`
      : '';
  return { key, image, why: `it has no C library${basis}` };
}

/** Why the build uses cgo, for messages: the first reason in the code, else the option. */
function cgoWhy(resolved: ResolvedOptions, project: Project, files: SourceFiles): string {
  const reason = project.cgoReasons[0];
  return reason && resolved.options.cgo === 'auto' ? reason : `cgo on (${describeSource(resolved.sources.cgo, 'cgo', files)})`;
}

/**
 * Combinations the wizard would refuse, whichever source set them: run before any question
 * (on the options with their derived defaults) and again after the wizard.
 */
export function checkCombinations(resolved: ResolvedOptions, project: Project, files: SourceFiles = {}): void {
  const problem = runtimeProblem(resolved.options, project);
  if (!problem) return;
  const source = resolved.sources[problem.key];
  const name = problem.key === 'base' ? 'base' : 'base-image';
  const fix =
    source === 'policy'
      ? 'use a policy whose base or base-image has a C library for cgo projects (debian, distroless, ' +
        'gcr.io/distroless/base-debian12:nonroot)'
      : `choose a runtime with a C library (--base debian or --base distroless, or a --base-image such as ` +
        `gcr.io/distroless/base-debian12:nonroot)`;
  throw new UsageError(
    `${name} ${problem.image} (${describeSource(source, problem.key, files)}) cannot run a cgo binary ` +
      `(${cgoWhy(resolved, project, files)}): ${problem.why}; ${fix}, or --cgo off if the code builds without cgo.`,
  );
}

/**
 * Every check, after the wizard; throws on the first problem. Returns warnings: what the run
 * assumed and the user should know (a runtime image we cannot tell the C library of).
 */
export function checkOptions(resolved: ResolvedOptions, project: Project, files: SourceFiles = {}): string[] {
  const { options, sources } = resolved;
  const warnings: string[] = [];
  if (options.goProxy === undefined && REGION_DEFAULTS[options.region].goProxy === undefined) {
    throw new UsageError(
      `region ${options.region} (${describeSource(sources.region, 'region', files)}) needs --goproxy (your company ` +
        `proxy, e.g. https://athens.corp.example,direct); pass it or choose --region global|cn.`,
    );
  }
  if (project.mainPackages.length === 0) {
    const skipped =
      project.skippedMains.length > 0 ? ` (${project.skippedMains.map((main) => `${quoted(main.dir)} is ${main.reason}`).join('; ')})` : '';
    throw new RuntimeError(
      `${shown(project.dir)}: no main package (package main with func main) found${skipped}; add one, e.g. cmd/app/main.go.`,
    );
  }
  if (options.mainPackage !== undefined && !project.mainPackages.some((main) => main.packagePath === options.mainPackage)) {
    const found = project.mainPackages.map((main) => main.packagePath).join(', ');
    throw new UsageError(
      `${describeSource(sources.mainPackage, 'mainPackage', files)} ${options.mainPackage}: not a main package of this ` +
        `module; choose one of ${found}.`,
    );
  }
  checkCombinations(resolved, project, files);
  const runtime = runtimeLibc(options);
  if (cgoNeeded(options, project) && runtime.assumed && options.baseImage !== undefined) {
    const libc = runtime.libc === 'musl' ? 'musl (built on Alpine)' : 'glibc';
    warnings.push(
      `base-image ${options.baseImage} (${describeSource(sources.baseImage, 'baseImage', files)}): create-go-docker ` +
        `cannot tell its C library, so the cgo binary (${cgoWhy(resolved, project, files)}) is linked against ${libc}, as for ` +
        `base ${options.base}; if the image has no C library it does not start: set --base to the family it is built on ` +
        `(debian, alpine), or --cgo off.`,
    );
  }
  if (!options.goVersion) {
    throw new RuntimeError('go.mod has no go line and --go was not given; add "go 1.xx" to go.mod or pass --go.');
  }
  if (options.auth !== 'none' && options.privatePatterns.length === 0) {
    throw new UsageError(
      `auth ${options.auth} (${describeSource(sources.auth, 'auth', files)}) needs --private (the module paths to fetch ` +
        `with it, e.g. git.corp.example/*).`,
    );
  }
  if (options.ci === 'none') {
    for (const key of ['ciRegistry', 'ciRollout'] as const) {
      if (options[key] !== undefined)
        throw new UsageError(`${describeSource(sources[key], key, files)} needs a CI to write for; add --ci github or --ci gitlab.`);
    }
  }
  if (options.ciCache === 'gha' && options.ci !== 'github') {
    throw new UsageError(
      `ci-cache gha (${describeSource(sources.ciCache, 'ciCache', files)}) is GitHub's cache service; it needs --ci ` +
        `github (GitLab and others: --ci-cache registry).`,
    );
  }
  if (options.auth === 'ssh' && privateGitHosts(options.privatePatterns, project.module.requires).length === 0) {
    throw new UsageError(
      `auth ssh: cannot tell the git host from private ${options.privatePatterns.join(',')} ` +
        `(${describeSource(sources.privatePatterns, 'privatePatterns', files)}); include the host literally, e.g. git.corp.example/*.`,
    );
  }
  return warnings;
}
