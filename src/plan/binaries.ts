// Which binaries the Dockerfile builds and what each is called: the binary's file name, its
// image stage and its image tag. Names we derive are safe ([a-z][a-z0-9._-]*) and distinct: two
// mains named "server" would otherwise overwrite each other's binary (go build -o dir/ does so
// silently) and give two stages one name.
import type { MainPackage } from '../detect/project.js';
import { deriveSafeName, type PackagePath, type SafeName } from '../values/kinds.js';

export interface BinaryPlan {
  /** The binary's file name in /out and /usr/local/bin: go build's own name when it is unique. */
  name: string;
  packagePath: PackagePath;
  stageName: SafeName;
  /** The local image tag of the printed commands. */
  tag: SafeName;
  port?: number;
  isDefault: boolean;
}

/** Stage names Docker or our template already use. */
const RESERVED_STAGES = new Set(['build', 'scratch']);

export interface NamedBinaries {
  /** The default binary last, so a plain `docker build` produces it. */
  binaries: BinaryPlan[];
  /** One line per name we changed, and why. */
  notes: string[];
}

export function nameBinaries(mains: readonly MainPackage[], chosen: MainPackage, portFor: (main: MainPackage) => number | undefined): NamedBinaries {
  const notes: string[] = [];
  const binaryNames = uniqueBinaryNames(mains);
  const usedStages = new Set<string>();
  const plans = mains.map((main, index): BinaryPlan => {
    const name = binaryNames[index]!;
    if (name !== main.binaryName) notes.push(`${main.packagePath}: binary named ${name}, since another main package is also named ${main.binaryName}.`);
    let stageName = deriveSafeName(name, 'app');
    if (RESERVED_STAGES.has(stageName)) stageName = `${stageName}-image` as SafeName;
    for (let suffix = 2; usedStages.has(stageName); suffix++) stageName = `${deriveSafeName(name, 'app')}-${suffix}` as SafeName;
    usedStages.add(stageName);
    if (stageName !== name) notes.push(`${main.packagePath}: image stage and tag ${stageName} (Docker needs lower-case names that start with a letter).`);
    const plan: BinaryPlan = { name, packagePath: main.packagePath, stageName, tag: stageName, isDefault: main === chosen };
    const port = portFor(main);
    if (port !== undefined) plan.port = port;
    return plan;
  });
  return { binaries: [...plans.filter((plan) => !plan.isDefault), ...plans.filter((plan) => plan.isDefault)], notes };
}

/** go build's names, made unique by prefixing parent directories (cmd/a/server -> a-server). */
function uniqueBinaryNames(mains: readonly MainPackage[]): string[] {
  const names = mains.map((main) => main.binaryName);
  const elements = mains.map((main) => (main.packagePath === '.' ? [] : main.packagePath.slice(2).split('/')));
  for (let depth = 1; depth < 8; depth++) {
    const counts = new Map<string, number>();
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    if ([...counts.values()].every((count) => count === 1)) return names;
    names.forEach((name, index) => {
      if (counts.get(name)! === 1) return;
      const parents = elements[index]!.slice(0, -1);
      const parent = parents[parents.length - depth];
      if (parent !== undefined) names[index] = `${parent}-${name}`;
    });
  }
  // Still equal (e.g. the root and a directory with the module's name): number them.
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}-${count}`;
  });
}
