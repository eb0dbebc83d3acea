// go.mod's values as files may use them: the module path, the go and toolchain versions and the
// required module paths, each checked (src/values/kinds.ts). A value that fails is an error
// naming go.mod, the line and the value: go itself would refuse such a go.mod, and a repo
// bootstrap must never turn one into Dockerfile text.
import { RuntimeError } from '../errors.js';
import { goVersionProblem, modulePathProblem, type GoVersion, type ModulePath } from '../values/kinds.js';
import { quoted } from '../values/text.js';
import type { GoMod } from './gomod.js';

export interface CheckedModule {
  path: ModulePath;
  goVersion?: GoVersion;
  toolchain?: GoVersion;
  requires: ModulePath[];
}

export function checkModule(goMod: GoMod, shownGoMod: string): CheckedModule {
  const fail = (line: number, what: string, value: string, problem: string, fix: string): never => {
    throw new RuntimeError(`${shownGoMod}:${line}: ${what} ${quoted(value)} ${problem}; ${fix}.`);
  };
  const pathProblem = modulePathProblem(goMod.modulePath);
  if (pathProblem)
    fail(
      goMod.lines.module,
      'module',
      goMod.modulePath,
      `is not a valid module path (${pathProblem})`,
      'fix the module line (go mod edit -module NEW/PATH)',
    );
  const module: CheckedModule = { path: goMod.modulePath as ModulePath, requires: [] };
  if (goMod.goVersion !== undefined) {
    const problem = goVersionProblem(goMod.goVersion);
    if (problem)
      fail(
        goMod.lines.go ?? 1,
        'go',
        goMod.goVersion,
        `is not a Go version (${problem})`,
        'write a release such as go 1.26 (go mod edit -go=1.26)',
      );
    module.goVersion = goMod.goVersion as GoVersion;
  }
  if (goMod.toolchain !== undefined) {
    const problem = goVersionProblem(goMod.toolchain);
    if (problem)
      fail(
        goMod.lines.toolchain ?? 1,
        'toolchain',
        goMod.toolchain,
        `is not a Go toolchain (${problem})`,
        'write e.g. toolchain go1.26.2 (go mod edit -toolchain=go1.26.2)',
      );
    module.toolchain = goMod.toolchain as GoVersion;
  }
  for (const requirement of goMod.requires) {
    const problem = modulePathProblem(requirement.path);
    if (problem)
      fail(
        requirement.line,
        'require',
        requirement.path,
        `is not a valid module path (${problem})`,
        'fix or remove the requirement (go mod tidy)',
      );
    module.requires.push(requirement.path as ModulePath);
  }
  return module;
}
