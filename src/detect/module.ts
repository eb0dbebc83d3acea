// go.mod's values as files may use them: the module path, the go and toolchain versions and the
// required module paths, each checked (src/values/kinds.ts). A value that fails is an error
// naming go.mod, the line and the value: go itself would refuse such a go.mod, and a repo
// bootstrap must never turn one into Dockerfile text.
import { RuntimeError } from '../errors.js';
import {
  brandOr,
  goVersionProblem,
  modulePathProblem,
  type Checked,
  type GoVersion,
  type ModulePath,
  type Problem,
} from '../values/kinds.js';
import { quoted } from '../values/text.js';
import type { GoMod } from './gomod.js';

export interface CheckedModule {
  path: ModulePath;
  goVersion?: GoVersion;
  toolchain?: GoVersion;
  requires: ModulePath[];
}

export function checkModule(goMod: GoMod, shownGoMod: string): CheckedModule {
  const checked = <T extends Checked<string>>(kind: Kind, line: number, what: string, value: string, fix: string): T =>
    brandOr<T>(value, kind.problem, (problem) => {
      throw new RuntimeError(`${shownGoMod}:${line}: ${what} ${quoted(value)} is not ${kind.name} (${problem}); ${fix}.`);
    });
  const module: CheckedModule = {
    path: checked(MODULE_PATH, goMod.lines.module, 'module', goMod.modulePath, 'fix the module line (go mod edit -module NEW/PATH)'),
    requires: [],
  };
  if (goMod.goVersion !== undefined)
    module.goVersion = checked<GoVersion>(
      GO_VERSION,
      goMod.lines.go ?? 1,
      'go',
      goMod.goVersion,
      'write a release such as go 1.26 (go mod edit -go=1.26)',
    );
  if (goMod.toolchain !== undefined) {
    const fix = 'write e.g. toolchain go1.26.2 (go mod edit -toolchain=go1.26.2)';
    module.toolchain = checked<GoVersion>(GO_TOOLCHAIN, goMod.lines.toolchain ?? 1, 'toolchain', goMod.toolchain, fix);
  }
  for (const requirement of goMod.requires)
    module.requires.push(
      checked(MODULE_PATH, requirement.line, 'require', requirement.path, 'fix or remove the requirement (go mod tidy)'),
    );
  return module;
}

interface Kind {
  name: string;
  problem: (value: string) => Problem;
}

const MODULE_PATH: Kind = { name: 'a valid module path', problem: modulePathProblem };
const GO_VERSION: Kind = { name: 'a Go version', problem: goVersionProblem };
const GO_TOOLCHAIN: Kind = { name: 'a Go toolchain', problem: goVersionProblem };
