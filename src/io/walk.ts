// The one directory walk for commands that look through a whole tree (doctor's build context,
// regenerate --recursive): links are listed, never followed; a directory that cannot be listed
// is reported, not silently skipped (a drift gate must fail closed); and a walk with a cap
// stops there and says so, so a module with 100k files neither takes half a minute nor blocks
// SIGTERM for that long (Node runs signal handlers only between synchronous steps).
import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** How many entries (files, directories, links) doctor looks at before it stops counting. */
export const WALK_MAX_ENTRIES = 50_000;

export interface WalkEntry {
  kind: 'file' | 'dir' | 'link' | 'other';
  name: string;
  path: string;
  /** Relative to the root, "/" separated. */
  relativePath: string;
}

/** A directory readdir refused (EACCES, EIO...): what is below it is unknown. */
export interface WalkUnreadable {
  kind: 'unreadable';
  path: string;
  relativePath: string;
  code: string;
}

/** The walk stopped at maxEntries: there may be more below. */
export interface WalkCapped {
  kind: 'capped';
  maxEntries: number;
}

export interface WalkOptions {
  /** Whether to list a directory's entries (default: every directory). */
  descend?: (entry: WalkEntry) => boolean;
  /** Stop after this many entries with a 'capped' item (default: no cap). */
  maxEntries?: number;
}

function kindOf(entry: Dirent): WalkEntry['kind'] {
  if (entry.isSymbolicLink()) return 'link';
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  return 'other';
}

/**
 * Every entry below root, each directory's entries in name order before any of its
 * sub-directories (so a directory's own files come before those below it). Only readdir: a
 * caller that needs sizes lstat's the entries it keeps.
 */
export function* walkTree(root: string, options: WalkOptions = {}): Generator<WalkEntry | WalkUnreadable | WalkCapped> {
  const pending: string[] = [''];
  let seen = 0;
  while (pending.length > 0) {
    const relativeDir = pending.pop()!;
    const dir = relativeDir === '' ? root : join(root, relativeDir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      yield { kind: 'unreadable', path: dir, relativePath: relativeDir, code: (error as NodeJS.ErrnoException).code ?? 'EIO' };
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const below: string[] = [];
    for (const dirent of entries) {
      if (options.maxEntries !== undefined && seen >= options.maxEntries) {
        yield { kind: 'capped', maxEntries: options.maxEntries };
        return;
      }
      seen++;
      const relativePath = relativeDir === '' ? dirent.name : `${relativeDir}/${dirent.name}`;
      const entry: WalkEntry = { kind: kindOf(dirent), name: dirent.name, path: join(dir, dirent.name), relativePath };
      yield entry;
      if (entry.kind === 'dir' && (options.descend?.(entry) ?? true)) below.push(relativePath);
    }
    // A stack: push in reverse so the first sub-directory is walked first.
    for (let index = below.length - 1; index >= 0; index--) pending.push(below[index]!);
  }
}
