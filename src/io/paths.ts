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
  return findUp(dir, (current) => (entryKind(join(current, '.git')) !== 'missing' ? current : undefined));
}

/**
 * The one walk up the directory tree: from `dir` towards the root, the first answer `probe` gives
 * for a directory (undefined: go on), else undefined once `last` says the walk ends at this one.
 */
export function findUp<T>(dir: string, probe: (dir: string) => T | undefined, last: (dir: string) => boolean = () => false): T | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const answer = probe(current);
    if (answer !== undefined) return answer;
    if (last(current) || current === dirname(current)) return undefined;
  }
}

/** A `last` for findUp: the walk ends after `levels` directories above the first. */
export function levelsUp(levels: number): () => boolean {
  let walked = 0;
  return () => walked++ >= levels;
}
