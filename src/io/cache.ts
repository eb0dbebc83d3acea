// The user's cache for what create-go-docker downloads (a policy from a URL or an npm package).
// It is never inside a repository, so nothing downloaded can be committed by accident, and it
// is only a cache: every entry is read like any input (a regular file, capped, through no link)
// and checked against the hash stored beside it, and a failure to write one is ignored.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { InputFileError, readInputBytes } from './read.js';

/**
 * Where downloads are kept: $XDG_CACHE_HOME/create-go-docker, else the platform's cache
 * directory; undefined when that lies inside `repository` (a cache there could be committed).
 */
export function userCacheDir(env: Record<string, string | undefined>, repository: string | undefined): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  const base =
    xdg && isAbsolute(xdg)
      ? xdg
      : process.platform === 'win32' && env.LOCALAPPDATA
        ? env.LOCALAPPDATA
        : process.platform === 'darwin'
          ? join(homedir(), 'Library', 'Caches')
          : join(homedir(), '.cache');
  const dir = join(base, 'create-go-docker');
  if (repository !== undefined) {
    const inside = relative(repository, dir);
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) return undefined;
  }
  return dir;
}

export interface CacheEntry {
  body: Buffer;
  meta: Record<string, string>;
}

/** A name for a key (a URL, a package and version) that is safe as a file name. */
export function cacheKey(kind: string, key: string): string {
  return `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** The entry stored under `name`, if there is one whose body still has the hash it was stored with. */
export function readCacheEntry(dir: string, name: string, maxBytes: number): CacheEntry | undefined {
  try {
    const meta = JSON.parse(readInputBytes(join(dir, `${name}.json`), { maxBytes: 64 * 1024, noFollow: true }).toString('utf8')) as unknown;
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return undefined;
    const fields = Object.fromEntries(Object.entries(meta).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const body = readInputBytes(join(dir, `${name}.body`), { maxBytes, noFollow: true });
    return fields.sha256 === createHash('sha256').update(body).digest('hex') ? { body, meta: fields } : undefined;
  } catch (error) {
    if (error instanceof InputFileError || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Stores body and meta under `name` (best effort: a cache that cannot be written is no error). */
export function writeCacheEntry(dir: string, name: string, body: Buffer, meta: Record<string, string>): void {
  const record = { ...meta, sha256: createHash('sha256').update(body).digest('hex') };
  const suffix = `.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Body first, meta last: a reader that sees the new meta finds the body it describes. "wx"
    // creates a new file and fails on anything already there (a link included); rename
    // replaces a link at the target instead of writing through it.
    writeFileSync(join(dir, `${name}.body${suffix}`), body, { flag: 'wx', mode: 0o600 });
    renameSync(join(dir, `${name}.body${suffix}`), join(dir, `${name}.body`));
    writeFileSync(join(dir, `${name}.json${suffix}`), JSON.stringify(record), { flag: 'wx', mode: 0o600 });
    renameSync(join(dir, `${name}.json${suffix}`), join(dir, `${name}.json`));
  } catch {
    for (const file of [`${name}.body${suffix}`, `${name}.json${suffix}`]) rmSync(join(dir, file), { force: true });
  }
}
