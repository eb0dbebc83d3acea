// Paths as every generated file and message writes them: forward slashes, whatever the platform;
// and which repository a directory belongs to.
import { dirname, join, relative, sep } from 'node:path';
import { entryKind } from './read.js';

export function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** The path from `from` to `to`, with forward slashes ("" when they are the same). */
export function posixRelative(from: string, to: string): string {
  return toPosix(relative(from, to));
}

/**
 * The git repository's root at or above dir (the nearest directory holding .git, a directory or
 * a worktree's file), else undefined. What a checkout holds cannot move it outward: a .git
 * inside the repository only narrows it.
 */
export function gitRoot(dir: string): string | undefined {
  for (let current = dir; current !== dirname(current); current = dirname(current)) {
    if (entryKind(join(current, '.git')) !== 'missing') return current;
  }
  return undefined;
}
