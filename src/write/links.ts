// No managed file is read or written through a symbolic link: a link in a checkout could point
// outside the project, at a file we would then overwrite, delete or print in a diff.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { shown } from '../values/text.js';

/**
 * Refuses a path whose target or any directory on the way from outDir is a symbolic link: it
 * could make us write outside the project, or print another file's content in a diff.
 */
export function assertNoLinks(outDir: string, relativePath: string): 'missing' | 'file' {
  let current = outDir;
  const parts = relativePath.split('/');
  for (const [index, part] of parts.entries()) {
    current = join(current, part);
    let stats;
    try {
      stats = lstatSync(current);
    } catch {
      return 'missing';
    }
    const shownPath = shown(current);
    if (stats.isSymbolicLink()) {
      throw new RuntimeError(
        `${shownPath}: is a symbolic link; create-go-docker never reads or writes managed files through links (it could ` +
          `point outside the project): replace it with a regular ${index === parts.length - 1 ? 'file' : 'directory'}.`,
      );
    }
    if (index < parts.length - 1 && !stats.isDirectory()) {
      throw new RuntimeError(
        `${shownPath}: is not a directory, but create-go-docker writes ${relativePath} below it; move it away or choose another --out.`,
      );
    }
    if (index === parts.length - 1) {
      if (stats.isDirectory())
        throw new RuntimeError(`${shownPath}: is a directory where create-go-docker writes a file; move it away or choose another --out.`);
      if (!stats.isFile()) throw new RuntimeError(`${shownPath}: is not a regular file (a pipe or a device); move it away.`);
    }
  }
  return 'file';
}
