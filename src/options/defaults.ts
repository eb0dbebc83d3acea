// The values a run takes for what nobody chose, derived from the project and the other options:
// the one place --yes, a run without a terminal, regenerate and the wizard's pre-selected
// answers all come from, so an unattended run builds what the wizard would have offered.
import { moduleHosts, type FetchedModule } from '../detect/private.js';
import type { ProgramUse } from '../detect/programs.js';
import type { Project } from '../detect/project.js';
import { baseCanRun, externalPrograms } from '../plan/programs.js';
import { matchPrefixPatterns } from '../values/glob.js';
import { brandValid, modulePatternProblem, type ModulePattern } from '../values/kinds.js';
import { runtimeProblem } from './check.js';
import { cgoNeeded } from './libc.js';
import { BASES, type AuthMode, type Base, type Options } from './model.js';
import { REGION_DEFAULTS } from './regions.js';
import type { ResolvedOptions } from './resolve.js';

/** What constrains the derived base besides the options: the policy. */
export interface BaseConstraints {
  /** The policy's allowed-bases. */
  allowedBases?: readonly Base[];
  /** The base is the policy's only because it was the first of allowed-bases (the policy did not fix base). */
  baseFromAllowed?: boolean;
}

/**
 * GOPRIVATE as detection sees it: the hosts of downloaded modules whose names say they are
 * private (detect/private.ts). A vendored build downloads nothing, so it needs none.
 */
export function detectedPrivatePatterns(project: Project): ModulePattern[] {
  if (project.vendored) return [];
  return brandValid<ModulePattern>(moduleHosts(project.modules.map((module) => module.goMod)).private, modulePatternProblem);
}

/**
 * The base when nobody chose one: the region's (a cgo binary gets the region's libc base; a main
 * that runs an external program, Debian's, which can install it), else
 * the current one, else the first the policy allows, each only if the policy allows it and it
 * can run the binary (runtimeProblem, the check the wizard filters its choices with).
 */
export function defaultBase(options: Options, project: Project, constraints: BaseConstraints = {}): Base {
  const { allowedBases } = constraints;
  const regional = REGION_DEFAULTS[options.region];
  const regionBase = cgoNeeded(options, project) ? regional.cgoBase : regional.base;
  // A main that runs git, ffmpeg or sh gets a runtime that can hold them (plan/programs.ts says why).
  const preferred = baseCanRun(regionBase, imagePrograms(options, project)) ? regionBase : 'debian';
  const candidates = [preferred, options.base, ...(allowedBases ?? BASES)];
  const fits = (base: Base) =>
    (!allowedBases || allowedBases.includes(base)) && runtimeProblem({ ...options, base }, project) === undefined;
  // Nothing fits: keep what the options say, for checkOptions to refuse with its source.
  return candidates.find(fits) ?? (allowedBases && !allowedBases.includes(preferred) ? options.base : preferred);
}

/**
 * The external programs the images' mains run: the --main package's, else every product main's
 * (each gets an image); a program that is one of the project's own binaries does not count.
 */
export function imagePrograms(options: Pick<Options, 'mainPackage'>, project: Pick<Project, 'mainPackages'>): ProgramUse[] {
  const ownBinaries = project.mainPackages.map((main) => main.binaryName);
  const mains = project.mainPackages.filter((main) =>
    options.mainPackage === undefined ? main.role === 'main' : main.packagePath === options.mainPackage,
  );
  return mains.flatMap((main) => externalPrograms(main, ownBinaries));
}

/**
 * How the build authenticates when nobody chose: a .netrc token (the wizard's first choice) when
 * GOPRIVATE covers a module the build downloads, else none: a secret nothing fetches with would
 * only make the build command ask for a file.
 */
export function defaultAuth(options: Options, project: Project): AuthMode {
  if (options.privatePatterns.length === 0 || project.vendored) return 'none';
  const patterns = options.privatePatterns.join(',');
  const fetched = moduleHosts(project.modules.map((module) => module.goMod)).modules;
  return fetched.some((module) => matchPrefixPatterns(patterns, module.path)) ? 'token' : 'none';
}

/**
 * A base the policy took only as the first of its allowed-bases (it did not fix base) is a
 * default among those: the first that fits, as for any default. Before the wizard too, which
 * does not ask what the policy decided.
 */
export function withPolicyBase(resolved: ResolvedOptions, project: Project, constraints: BaseConstraints): ResolvedOptions {
  if (resolved.sources.base !== 'policy' || !constraints.baseFromAllowed) return resolved;
  return { options: { ...resolved.options, base: defaultBase(resolved.options, project, constraints) }, sources: resolved.sources };
}

/** The resolved options with the derived values filled in where nobody chose (source "default"). */
export function withDerivedDefaults(resolved: ResolvedOptions, project: Project, constraints: BaseConstraints = {}): ResolvedOptions {
  const options = { ...withPolicyBase(resolved, project, constraints).options };
  if (resolved.sources.base === 'default') options.base = defaultBase(options, project, constraints);
  if (resolved.sources.auth === 'default') options.auth = defaultAuth(options, project);
  return { options, sources: resolved.sources };
}

/**
 * Downloaded modules whose hosts are neither known public nor private by name, and that
 * GOPRIVATE does not cover: detection cannot decide them, so a run that asks nothing names them.
 */
function undecidedModules(options: Options, project: Project): FetchedModule[] {
  if (project.vendored) return [];
  const patterns = options.privatePatterns.join(',');
  return moduleHosts(project.modules.map((module) => module.goMod)).modules.filter(
    (module) => module.kind === 'unsure' && !matchPrefixPatterns(patterns, module.path),
  );
}

/** Their hosts, sorted: the wizard names them in its GOPRIVATE question. */
export function undecidedHosts(options: Options, project: Project): string[] {
  return [...new Set(undecidedModules(options, project).map((module) => module.host))].sort();
}

/** One line naming them and the flag, for a run that asks nothing. */
export function undecidedHostsWarning(options: Options, project: Project): string | undefined {
  const modules = undecidedModules(options, project);
  if (modules.length === 0) return undefined;
  const hosts = undecidedHosts(options, project);
  const more = modules.length > 1 ? ` and ${modules.length - 1} more` : '';
  return (
    `go.mod requires ${modules[0]!.path}${more} from ${hosts.join(', ')}, which create-go-docker cannot tell ` +
    `public or private: if private, pass --private '${hosts.join(',')}' (else the build asks the public proxy for ` +
    `${modules.length > 1 ? 'them' : 'it'}: "410 Gone").`
  );
}
