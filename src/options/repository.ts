// Which git repository the answers file is in, and whether the project is in it: what generate
// checks before anything is rendered (--out in another repository), and what regenerate checks a
// recorded project: against. No YAML here, so generate's checks load no parser.
import { isAbsolute, relative, sep } from 'node:path';
import { gitRoot } from '../io/paths.js';

/**
 * The repository a recorded project: must stay in: the git repository that holds the
 * .go-docker.yaml in configDir (the nearest .git above it; what a checkout commits cannot move
 * that outward), undefined outside any repository. Not the answers file's own directory: --out
 * puts the files below the module (build/docker records project: ../..) or beside it
 * (deploy/svc records ../../svc), so the module is often above the answers file.
 */
export function projectRepository(configDir: string): string | undefined {
  return gitRoot(configDir);
}

/**
 * What generate must refuse for --out so that regenerate accepts what it writes: answers in a
 * git repository that does not hold the project would record a project: outside it, which no
 * fresh clone resolves (recordedProjectDir refuses it). The repository's root, or undefined.
 */
export function foreignRepository(outDir: string, projectDir: string): string | undefined {
  const repository = projectRepository(outDir);
  return repository !== undefined && !isWithin(repository, projectDir) ? repository : undefined;
}

/** Whether path is root or below it. */
export function isWithin(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === '' || (!isAbsolute(inside) && inside !== '..' && !inside.startsWith(`..${sep}`));
}
