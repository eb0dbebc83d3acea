// A file of the project is read only when nothing on its path, from the project directory down
// to the file, is a symbolic link: a repository can commit `docker -> /home/me/.ssh` or
// `Dockerfile -> /etc/shadow`, and whatever we read we may print. write.ts refuses the same
// links for the files it writes; this is the read side for commands that only read (doctor).
// The project directory itself may be a link: the user named it. Checked with lstat, then the
// file is opened with O_NOFOLLOW; a link swapped in between those two steps is not the threat
// here (a committed checkout is).
import { lstatSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { InputFileError, readInputFile, type ReadOptions } from './read.js';

/** A link on the path, or a path that leaves the project: never read, with what to fix. */
export class ProjectPathError extends InputFileError {
  constructor(
    path: string,
    reason: string,
    code: string,
    /** The component (relative to the project, "/" separated) that is a link; "" for the file itself. */
    readonly link: string,
  ) {
    super(path, reason, code);
  }
}

/** relativePath with "." and ".." resolved; undefined when it leaves the project directory. */
function insideProject(relativePath: string): string | undefined {
  if (isAbsolute(relativePath)) return undefined;
  const inside = normalize(relativePath);
  if (inside === '..' || inside.startsWith(`..${sep}`)) return undefined;
  return inside === '.' ? '' : inside;
}

export type ProjectEntryKind = 'missing' | 'file' | 'dir' | 'link' | 'other';

/**
 * What is at root/relativePath without following any link on the way: 'link' when the entry or
 * one of its directories is a link (nothing beyond it is looked at), 'missing' also for a path
 * that leaves the project.
 */
export function projectEntryKind(root: string, relativePath: string): ProjectEntryKind {
  const inside = insideProject(relativePath);
  if (inside === undefined) return 'missing';
  return entryOnPath(root, inside).kind;
}

function entryOnPath(root: string, inside: string): { kind: ProjectEntryKind; link?: string } {
  const parts = inside === '' ? [] : inside.split(sep);
  let current = root;
  for (let index = 0; index < parts.length; index++) {
    current = join(current, parts[index]!);
    let stats;
    try {
      stats = lstatSync(current);
    } catch {
      return { kind: 'missing' };
    }
    if (stats.isSymbolicLink()) return { kind: 'link', link: parts.slice(0, index + 1).join('/') };
    if (index === parts.length - 1) return { kind: stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : 'other' };
    if (!stats.isDirectory()) return { kind: 'missing' };
  }
  return { kind: 'dir' };
}

/**
 * root/relativePath as text, read as readInputFile reads (a regular file, size-capped, never
 * blocking), and only when no component of relativePath is a link. Throws InputFileError
 * (ProjectPathError for a link or a path outside).
 */
function readProjectFile(root: string, relativePath: string, options: Omit<ReadOptions, 'noFollow'>): string {
  const path = join(root, relativePath);
  const inside = insideProject(relativePath);
  if (inside === undefined || inside === '') throw new ProjectPathError(path, 'is not a file inside the project', 'EOUTSIDE', '');
  const { kind, link } = entryOnPath(root, inside);
  if (kind === 'link') {
    const isFile = link === inside.split(sep).join('/');
    throw new ProjectPathError(path, isFile ? 'is a symbolic link' : `${link} is a symbolic link`, 'ELOOP', isFile ? '' : link!);
  }
  // O_NOFOLLOW as well: the last component is refused by the kernel even if it changed since.
  return readInputFile(path, { ...options, noFollow: true });
}

/** Like readProjectFile, but nothing at the path is undefined. */
export function readOptionalProjectFile(root: string, relativePath: string, options: Omit<ReadOptions, 'noFollow'>): string | undefined {
  try {
    return readProjectFile(root, relativePath, options);
  } catch (error) {
    if (error instanceof InputFileError && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether path is root itself or below it, by name (links are not resolved). */
export function isBelow(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === '' || insideProject(inside) !== undefined;
}
