// What the build fetches: the download step's files and module list, and the deps stage that
// compiles what it downloaded. Pure: slices of the plan that buildPlan assembles, decided from
// go.mod and go.work.
import type { GoModule, Project } from '../detect/project.js';
import { compareGoVersions } from '../detect/gomod.js';
import type { ContextPath } from '../values/kinds.js';
import type { Plan } from './plan.js';
import { moduleOf } from './stages.js';
import type { RankedMain } from './targets.js';

/** The first go line whose go.mod lists every module that provides a package (module graph pruning). */
const PRUNED_GO = '1.17';

/** A file of a module, as a path in the build context (the module may sit in a sub-directory). */
export function inModule(module: { dir: string }, file: string): ContextPath {
  return `${module.dir === '' ? '' : `${module.dir}/`}${file}` as ContextPath;
}

/** The module paths go.mod requires from outside the build context (not replaced by a directory, not a workspace module). */
function externalRequires(module: GoModule, modules: readonly GoModule[]): string[] {
  const local = (path: string) => module.goMod.replaces.some((replacement) => replacement.isLocal && replacement.from === path) || modules.some((item) => item.module.path === path);
  return module.goMod.requires.filter((requirement) => !local(requirement.path)).map((requirement) => requirement.path);
}

/** Whether go.mod's go line turns module graph pruning on (none at all means go 1.16). */
function pruned(module: GoModule): boolean {
  return module.goMod.goVersion !== undefined && compareGoVersions(module.goMod.goVersion, PRUNED_GO) >= 0;
}

export function downloadPlan(project: Project): Plan['download'] {
  const binds: ContextPath[] = [];
  if (project.workspace) {
    binds.push('go.work' as ContextPath);
    if (project.hasGoWorkSum) binds.push('go.work.sum' as ContextPath);
  }
  for (const module of project.modules) {
    binds.push(inModule(module, 'go.mod'));
    if (module.hasGoSum) binds.push(inModule(module, 'go.sum'));
  }
  for (const dir of project.localReplaceDirs) binds.push(`${dir}/go.mod` as ContextPath);
  const download: Plan['download'] = { binds };
  // Nothing to download (no requirement from outside the context, or vendor/ has it all): no
  // download step, whose commands would only run on an empty list.
  if (project.vendored || !project.modules.some((module) => externalRequires(module, project.modules).length > 0)) return download;
  const sums = project.modules.filter((module) => module.hasGoSum).map((module) => inModule(module, 'go.sum'));
  if (project.workspace && project.hasGoWorkSum) sums.push('go.work.sum' as ContextPath);
  // go.work last: its replace directives win over the modules' own.
  const goMods = [...project.modules.map((module) => inModule(module, 'go.mod')), ...(project.workspace ? ['go.work' as ContextPath] : [])];
  download.modules = { sums, goMods, requiredOnly: project.modules.every(pruned) };
  return download;
}

/** The deps stage reads what the download step reads, plus vendor/ when vendored; none when nothing was downloaded. */
export function depsPlan(project: Project, chosen: RankedMain, download: Plan['download']): Plan['deps'] {
  const goMod = inModule(moduleOf(project, chosen), 'go.mod');
  if (project.vendored) return { binds: [...download.binds, inModule(moduleOf(project, chosen), 'vendor')], goMod };
  return download.modules ? { binds: download.binds, goMod } : undefined;
}
