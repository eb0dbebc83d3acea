// What each binary and image is called: the binary's file name, its image stage and its image
// tag. Names we derive are safe ([a-z][a-z0-9._-]*) and distinct: two mains named "server" would
// otherwise overwrite each other's binary (go build -o dir/ does so silently) and give two
// stages one name. A name the project's release config declares (goreleaser's binary:) wins
// over go build's directory name.
import { binaryNameProblem, brandKnown, deriveSafeName, safeNameProblem, type SafeName } from '../values/kinds.js';
import type { RankedMain } from './targets.js';

export interface NamedBinary {
  ranked: RankedMain;
  /** The binary's file name in /out and /usr/local/bin. */
  name: string;
  stageName: SafeName;
  /** The local image tag of the printed commands. */
  tag: SafeName;
}

/** Stage names Docker or our template already use. */
const RESERVED_STAGES = new Set(['build', 'scratch']);

export function nameBinaries(images: readonly RankedMain[]): { binaries: NamedBinary[]; notes: string[] } {
  const notes: string[] = [];
  const wanted = images.map((item) => {
    const declared = item.declared?.binary;
    return declared && binaryNameProblem(declared) === undefined ? declared : item.main.binaryName;
  });
  const names = uniqueNames(images, wanted);
  const usedStages = new Set<string>();
  const binaries = images.map((ranked, index): NamedBinary => {
    const name = names[index]!;
    if (name !== wanted[index])
      notes.push(`${ranked.main.packagePath}: binary named ${name}, since another main package is also named ${wanted[index]}.`);
    else if (name !== ranked.main.binaryName)
      notes.push(
        `${ranked.main.packagePath}: binary named ${name}, as the release config names it (go build would call it ` +
          `${ranked.main.binaryName}).`,
      );
    let stageName = deriveSafeName(name, 'app');
    if (RESERVED_STAGES.has(stageName) || stageName.startsWith('build-'))
      stageName = brandKnown<SafeName>(`${stageName}-image`, safeNameProblem);
    for (let suffix = 2; usedStages.has(stageName); suffix++)
      stageName = brandKnown<SafeName>(`${deriveSafeName(name, 'app')}-${suffix}`, safeNameProblem);
    usedStages.add(stageName);
    if (stageName !== name)
      notes.push(`${ranked.main.packagePath}: image stage and tag ${stageName} (Docker needs lower-case names that start with a letter).`);
    return { ranked, name, stageName, tag: stageName };
  });
  return { binaries, notes };
}

/**
 * The wanted names, made unique by prefixing parent directories (cmd/a/server -> a-server). The
 * default image (first) keeps its name; the others give way.
 */
function uniqueNames(images: readonly RankedMain[], wanted: readonly string[]): string[] {
  const names = [...wanted];
  const elements = images.map((item) => (item.main.packagePath === '.' ? [] : item.main.packagePath.slice(2).split('/')));
  for (let depth = 1; depth < 8; depth++) {
    const counts = new Map<string, number>();
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    if ([...counts.values()].every((count) => count === 1)) return names;
    names.forEach((name, index) => {
      if (counts.get(name)! === 1 || (index === 0 && name === wanted[0])) return;
      const parents = elements[index]!.slice(0, -1);
      const parent = parents[parents.length - depth];
      if (parent !== undefined) names[index] = `${parent}-${name}`;
    });
  }
  const seen = new Map<string, number>([[names[0]!, 1]]);
  return names.map((name, index) => {
    if (index === 0) return name;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}-${count}`;
  });
}
