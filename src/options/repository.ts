// Which git repository the answers file is in, and what must stay inside it: the project (--out
// in another repository is refused before anything is rendered), a recorded project: and the
// files .go-docker.yaml records. No YAML here, so generate's checks load no parser.
import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { gitRoot } from '../io/paths.js';
import { quoted, shown } from '../values/text.js';

/**
 * The repository a recorded project: must stay in: the git repository that holds the
 * .go-docker.yaml in answersDir (the nearest .git above it; what a checkout commits cannot move
 * that outward), undefined outside any repository. Not the answers file's own directory: --out
 * puts the files below the module (build/docker records project: ../..) or beside it
 * (deploy/svc records ../../svc), so the module is often above the answers file.
 */
export function projectRepository(answersDir: string): string | undefined {
  return gitRoot(answersDir);
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

/**
 * A file a .go-docker.yaml records (the policy, the CA), checked before anything reads it: a
 * relative path to a regular file inside the repository, by name and after resolving links, so
 * that what one checkout resolves every checkout resolves, and a tampered entry cannot make
 * create-go-docker read outside the repository. Else one usage error naming the file, line,
 * value and `fix`.
 */
export function recordedFile(
  answersPath: string,
  key: string,
  entry: { value: string; line: number },
  repository: string,
  fix: string,
): string {
  const { value, line } = entry;
  const refuse = (problem: string): never => {
    throw new UsageError(`${shown(answersPath)}:${line}: ${key} ${quoted(value)} ${problem}; ${fix}.`);
  };
  if (isAbsolute(value)) return refuse('is an absolute path, which no other checkout has');
  const path = resolve(dirname(answersPath), value);
  if (!isWithin(repository, path)) return refuse('is outside the repository, so no other checkout has it');
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return refuse('does not exist in this checkout');
  }
  if (!isWithin(realpathSync(repository), real)) return refuse('leads outside the repository through a symbolic link');
  if (!statSync(real).isFile()) return refuse('is not a file');
  return path;
}
