// What the build fetches and with what: the download step's files and module list, the deps
// stage that compiles what it downloaded, and the credentials the fetching steps mount. Pure:
// slices of the plan that buildPlan assembles, decided from go.mod, go.work and the options.
import type { GoModule, Project } from '../detect/project.js';
import { compareGoVersions } from '../detect/gomod.js';
import { moduleHosts } from '../detect/private.js';
import type { AuthMode, Options } from '../options/model.js';
import { privateGitHosts } from '../options/private.js';
import { matchPrefixPatterns } from '../values/glob.js';
import { brandKnown, contextPathProblem, type ContextPath, type HostName } from '../values/kinds.js';
import type { CompileStage, Plan } from './plan.js';
import { moduleOf } from './stages.js';
import type { RankedMain } from './targets.js';

/** The docker build flag that passes the .netrc a token-auth build mounts as a secret. */
export const NETRC_SECRET_FLAG = '--secret id=netrc,src=$HOME/.netrc';

/** The first go line whose go.mod lists every module that provides a package (module graph pruning). */
const PRUNED_GO = '1.17';

/** A file of a module, as a path in the build context (the module may sit in a sub-directory). */
function inModule(module: { dir: string }, file: string): ContextPath {
  return contextPath(`${module.dir === '' ? '' : `${module.dir}/`}${file}`);
}

/** A path this module spells from checked parts (module and replace directories, file names). */
function contextPath(path: string): ContextPath {
  return brandKnown<ContextPath>(path, contextPathProblem);
}

/** The module paths go.mod requires from outside the build context (not replaced by a directory, not a workspace module). */
function externalRequires(module: GoModule, modules: readonly GoModule[]): string[] {
  const local = (path: string) =>
    module.goMod.replaces.some((replacement) => replacement.isLocal && replacement.from === path) ||
    modules.some((item) => item.module.path === path);
  return module.goMod.requires.filter((requirement) => !local(requirement.path)).map((requirement) => requirement.path);
}

/** Whether go.mod's go line turns module graph pruning on (none at all means go 1.16). */
function pruned(module: GoModule): boolean {
  return module.goMod.goVersion !== undefined && compareGoVersions(module.goMod.goVersion, PRUNED_GO) >= 0;
}

export function downloadPlan(project: Project): Plan['download'] {
  const binds: ContextPath[] = [];
  if (project.workspace) {
    binds.push(contextPath('go.work'));
    if (project.hasGoWorkSum) binds.push(contextPath('go.work.sum'));
  }
  for (const module of project.modules) {
    binds.push(inModule(module, 'go.mod'));
    if (module.hasGoSum) binds.push(inModule(module, 'go.sum'));
  }
  for (const dir of project.localReplaceDirs) binds.push(contextPath(`${dir}/go.mod`));
  const download: Plan['download'] = { binds };
  // Nothing to download (no requirement from outside the context, or vendor/ has it all): no
  // download step, whose commands would only run on an empty list.
  if (project.vendored || !project.modules.some((module) => externalRequires(module, project.modules).length > 0)) return download;
  const sums = project.modules.filter((module) => module.hasGoSum).map((module) => inModule(module, 'go.sum'));
  if (project.workspace && project.hasGoWorkSum) sums.push(contextPath('go.work.sum'));
  // go.work last: its replace directives win over the modules' own.
  const goMods = [...project.modules.map((module) => inModule(module, 'go.mod')), ...(project.workspace ? [contextPath('go.work')] : [])];
  // Before go 1.17 the go command reads the whole module graph: go mod graph fetches its go.mod files.
  const graphGoMods = project.modules.filter((module) => !pruned(module)).map((module) => inModule(module, 'go.mod'));
  download.modules = { sums, goMods, requiredOnly: project.modules.every(pruned), graphGoMods };
  return download;
}

/**
 * The deps stage reads what the download step reads, plus vendor/ when vendored, and compiles
 * what the mains of the compile stages import; none when nothing was downloaded.
 */
export function depsPlan(
  project: Project,
  chosen: RankedMain,
  download: Plan['download'],
  compileStages: readonly CompileStage[],
): Plan['deps'] {
  // Every image's main, once: the deps layer is shared, so --target builds reuse it too. Mains
  // built with other tags or cgo (frp's -tags frps and -tags frpc) are listed with their own.
  const lists: NonNullable<Plan['deps']>['lists'] = [];
  for (const stage of compileStages) {
    let list = lists.find((item) => item.buildTags === stage.buildTags && item.cgoEnabled === stage.cgoEnabled);
    if (!list) lists.push((list = { buildTags: stage.buildTags, cgoEnabled: stage.cgoEnabled, mains: [] }));
    for (const binary of stage.binaries) if (!list.mains.includes(binary.packagePath)) list.mains.push(binary.packagePath);
  }
  if (project.vendored) return { binds: [...download.binds, inModule(moduleOf(project, chosen), 'vendor')], lists };
  return download.modules ? { binds: download.binds, lists } : undefined;
}

/**
 * The credentials the fetching steps mount (and the build command passes): the chosen auth, but
 * only when the build fetches a module that GOPRIVATE sends straight to git. A secret that no
 * step needs is still one more thing every developer and CI runner must provide (`docker build
 * --secret` fails when its file is missing), and a vendored build fetches nothing at all.
 */
export function fetchCredentials(project: Project, options: Options): { auth: AuthMode; note?: string } {
  if (options.auth === 'none') return { auth: 'none' };
  const how = options.auth === 'token' ? 'the .netrc secret (--secret id=netrc)' : 'the SSH agent (--ssh default)';
  if (project.vendored)
    return {
      auth: 'none',
      note:
        `auth ${options.auth}: vendor/ holds every module and nothing is fetched, so no step mounts ${how} and the ` +
        `build command passes none.`,
    };
  // Before go 1.17, go.mod need not list every module the build loads: a private one may hide
  // deeper in the module graph, so keep the credentials.
  if (!project.modules.every(pruned)) return { auth: options.auth };
  const patterns = options.privatePatterns.join(',');
  // The list doctor's GCD016 and the default auth (options/defaults.ts) look at, so all three agree.
  const fetched = moduleHosts(project.modules.map((module) => module.goMod)).modules;
  if (fetched.some((module) => matchPrefixPatterns(patterns, module.path))) return { auth: options.auth };
  return {
    auth: 'none',
    note:
      `auth ${options.auth}: no module go.mod requires matches GOPRIVATE (${patterns}), so no step mounts ${how} ` +
      `and the build command passes none; regenerate after requiring one adds it.`,
  };
}

/** The git hosts behind GOPRIVATE (messages, no_proxy, SSH host keys). */
export function projectPrivateHosts(project: Project, options: Options): HostName[] {
  return privateGitHosts(
    options.privatePatterns,
    project.modules.flatMap((module) => module.module.requires),
  );
}

/** The hosts the fetching steps reach over SSH: the private git hosts, when the build fetches with auth ssh. */
export function sshFetchHosts(project: Project, options: Options): HostName[] {
  return fetchCredentials(project, options).auth === 'ssh' ? projectPrivateHosts(project, options) : [];
}
