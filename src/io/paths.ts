// Paths as every generated file and message writes them: forward slashes, whatever the platform.
import { relative, sep } from 'node:path';

export function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** The path from `from` to `to`, with forward slashes ("" when they are the same). */
export function posixRelative(from: string, to: string): string {
  return toPosix(relative(from, to));
}
